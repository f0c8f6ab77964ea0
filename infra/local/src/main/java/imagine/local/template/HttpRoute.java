package imagine.local.template;

/** An HttpApi event: {@code method} is upper case ("ANY" matches every method). */
public record HttpRoute(String eventName, String method, String path) {
    public String routeKey() {
        return method.equals("ANY") ? "ANY " + path : method + " " + path;
    }
}
