package imagine.benchmark.snapshot;

/** {@code jdk.crac.Context}'s shape. */
public abstract class Context<R extends Resource> implements Resource {
    public abstract void register(R resource);
}
