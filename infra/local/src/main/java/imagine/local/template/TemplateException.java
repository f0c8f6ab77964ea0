package imagine.local.template;

/** The template says something the local platform cannot run, or a value cannot be resolved. */
public final class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
