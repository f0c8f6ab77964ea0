package imagine.core.telegram;

public record Chat(long id, String type) {

    public boolean isPrivate() {
        return "private".equals(type);
    }
}
