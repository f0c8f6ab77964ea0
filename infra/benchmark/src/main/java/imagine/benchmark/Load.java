package imagine.benchmark;

import java.util.Locale;

/**
 * Users who each send one message at the same moment, one image a prompt: {@code images} images in all, at most
 * {@code promptsPerMessage} to a message (the last user's message may have fewer).
 */
record Load(int images, int promptsPerMessage) {

    Load {
        if (images < 1 || promptsPerMessage < 1) {
            throw new IllegalArgumentException("a load needs images and prompts");
        }
    }

    int users() {
        return (images + promptsPerMessage - 1) / promptsPerMessage;
    }

    int prompts(int user) {
        return Math.min(promptsPerMessage, images - user * promptsPerMessage);
    }

    String describe() {
        String prompts = promptsPerMessage == 1 ? "1 prompt"
                : (images % promptsPerMessage == 0 ? "" : "up to ") + promptsPerMessage + " prompts";
        return String.format(Locale.ROOT, "%,d users × %s = %,d images", users(), prompts, images);
    }
}
