package imagine.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What a job on the queue does. Its wire name is what the message carries in {@code "task"}. */
public enum Task {
    /** Draw one image or make one video. */
    IMAGE("image"),
    /** Have the text model write image prompts from an idea, then draw each. */
    IDEA("idea"),
    /** Have the text model write a text, sent as messages. */
    WRITE("write"),
    /** Send the stored original of a result ({@link Job#mediaKey()}) as a document, replying to the result. */
    FULL_SIZE("full"),
    /** Stop the predictions of the user's jobs from updates before this one ({@code /cancel}). */
    CANCEL("cancel"),
    /** Delete what the bot keeps about the user ({@code /forget}). */
    FORGET("forget"),
    /** Tell an admin what the bot did today ({@code /stats}). */
    STATS("stats");

    private final String wireName;

    Task(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** An absent task is an image: messages from before tasks existed carry none. */
    @JsonCreator
    public static Task fromWire(String name) {
        if (name == null) {
            return IMAGE;
        }
        return Arrays.stream(values()).filter(task -> task.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown task '" + name + "'"));
    }

    public boolean isPlanning() {
        return this == IDEA || this == WRITE;
    }
}
