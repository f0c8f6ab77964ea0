/**
 * Where a cold start's time goes: {@link imagine.benchmark.profile.SampledStart} is a child JVM's main class that
 * samples the stack of the thread running Lambda's runtime client every millisecond and writes what each sample
 * was doing ({@link imagine.benchmark.profile.Phase}); the benchmark reads the samples up to the first response.
 */
package imagine.benchmark.profile;
