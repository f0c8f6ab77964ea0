package imagine.local.lambda;

/**
 * The parent of every function class loader: the JDK plus the platform's own Lambda core interfaces (Context,
 * RequestHandler...), so a handler and the platform agree on those types. Everything else, the events and
 * serialization classes included, must come from the function's jar.
 */
final class LambdaCoreClassLoader extends ClassLoader {
    // Before INSTANCE: a loader is parallel capable only if registered before it is created; otherwise every
    // environment's class loading would queue on this one shared parent's lock.
    static {
        registerAsParallelCapable();
    }

    static final LambdaCoreClassLoader INSTANCE = new LambdaCoreClassLoader();

    private static final String CORE = "com.amazonaws.services.lambda.runtime";
    private static final String LOGGING = CORE + ".logging";

    private LambdaCoreClassLoader() {
        super("lambda-core", ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        int dot = name.lastIndexOf('.');
        String pkg = dot < 0 ? "" : name.substring(0, dot);
        if (pkg.equals(CORE) || pkg.equals(LOGGING)) {
            return Class.forName(name, false, LambdaCoreClassLoader.class.getClassLoader());
        }
        throw new ClassNotFoundException(name);
    }
}
