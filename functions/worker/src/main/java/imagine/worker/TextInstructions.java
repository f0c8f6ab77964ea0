package imagine.worker;

import imagine.core.Job;
import imagine.core.Task;
import java.util.Locale;

/**
 * What the text model is told to do for a planning job ({@code system_prompt}), and how its answer is
 * read: an idea's image prompts one a line, a text as it is, or the refusal marker for an unsafe request.
 */
final class TextInstructions {
    /** The text model's whole answer when it will not help; asked for in every system prompt. */
    static final String REFUSAL_MARKER = "[REFUSED]";

    private static final String SAFETY = " If the request asks for sexual content involving minors, sexual content"
            + " about real people, graphic violence or gore, hate, harassment, self-harm or anything illegal,"
            + " answer only with " + REFUSAL_MARKER + " and nothing else.";

    private TextInstructions() {
    }

    static String systemPrompt(Job job) {
        String language = "ru".equals(job.language()) ? "Russian" : "English";
        if (job.task() == Task.IDEA) {
            return "You write prompts for an image generation model. From the user's idea, write exactly "
                    + job.total() + " different image prompts, one per line. Each line is one vivid description of"
                    + " a single picture (subject, setting, style, light), under 60 words, with no numbering, no"
                    + " quotes and no other text before or after. Write them in " + language + "." + SAFETY;
        }
        return "You write texts for Telegram as the user asks: posts, captions, descriptions. Answer with the text"
                + " only, in plain text without Markdown, in " + language + ". Separate paragraphs with an empty line."
                + SAFETY;
    }

    static boolean isRefusal(String answer) {
        return answer.toUpperCase(Locale.ROOT).contains(REFUSAL_MARKER);
    }
}
