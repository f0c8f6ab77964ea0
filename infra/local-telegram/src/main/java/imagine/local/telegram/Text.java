package imagine.local.telegram;

/** The plain text Telegram keeps after parsing formatting (its limits count these characters). */
final class Text {
    /** The longest message text Telegram takes, in UTF-16 units as Telegram Desktop counts them. */
    static final int MESSAGE_LIMIT = 4096;
    static final int CAPTION_LIMIT = 1024;
    private Text() {
    }

    static String parse(String raw, String parseMode) {
        if (raw == null) {
            return "";
        }
        if (parseMode != null && parseMode.equalsIgnoreCase("HTML")) {
            return raw.replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&quot;", "\"").replace("&amp;", "&");
        }
        return raw;
    }
}
