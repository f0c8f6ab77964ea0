package imagine.local.telegram;

/** The plain text Telegram keeps after parsing formatting (its limits count these characters). */
final class Text {
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
