package imagine.local.template;

/** A template parameter; {@code defaultValue} is null when the template gives none. */
public record TemplateParameter(String name, String type, String defaultValue, boolean noEcho) {
}
