package imagine.core;

import imagine.core.telegram.InlineKeyboardButton;
import imagine.core.telegram.InlineKeyboardMarkup;
import java.util.ArrayList;
import java.util.List;

/**
 * The buttons under a result: 🔁 Again, 🖼 Full size and, under an image, 🎬 Animate and 🔍 Upscale. Each carries
 * {@code <owner>:<action>:<jobId>}, the format of every button of the bot; the webhook finds the rest in the
 * result's {@link DeliveredResult}.
 */
public final class ResultButtons {
    public static final String AGAIN = "ag";
    public static final String FULL_SIZE = "fs";
    public static final String ANIMATE = "an";
    public static final String UPSCALE = "up";

    private ResultButtons() {
    }

    /**
     * @param animate whether the result is an image and the catalog has a model that animates one
     * @param upscale whether the result is an image and the catalog has a model that enlarges one (on a row of its
     *                own, so the labels keep their room on a phone)
     */
    public static InlineKeyboardMarkup under(Job job, boolean animate, boolean upscale) {
        Texts texts = Texts.forLanguage(job.language());
        List<InlineKeyboardButton> row = new ArrayList<>();
        row.add(button(texts.get("button.again"), job, AGAIN));
        row.add(button(texts.get("button.full_size"), job, FULL_SIZE));
        if (animate) {
            row.add(button(texts.get("button.animate"), job, ANIMATE));
        }
        return new InlineKeyboardMarkup(upscale
                ? List.of(row, List.of(button(texts.get("button.upscale"), job, UPSCALE)))
                : List.of(row));
    }

    public static String data(long owner, String action, String jobId) {
        return owner + ":" + action + ":" + jobId;
    }

    private static InlineKeyboardButton button(String text, Job job, String action) {
        return new InlineKeyboardButton(text, data(job.userId(), action, job.jobId()));
    }
}
