/**
 * A stand-in for a checkpointing JVM's {@code jdk.crac} API, so a function's CRaC priming can run where no such
 * JVM exists. {@code org.crac} binds to it when a child JVM is started with
 * {@code -Dorg.crac.Core.Compat=imagine.benchmark.snapshot}; {@link imagine.benchmark.snapshot.SnapshotStart}
 * then runs init, the registered {@code beforeCheckpoint} hooks and the {@code afterRestore} hooks, as Lambda's
 * SnapStart does around its snapshot, before the runtime client asks for the first event.
 */
package imagine.benchmark.snapshot;
