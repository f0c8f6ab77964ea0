package imagine.worker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The image prompts in a text model's answer: one a line, with the list marks, labels and quotes models
 * add despite being asked not to taken off, lead-in lines ("Here are 4 prompts:") and repeats left out.
 */
final class GeneratedPrompts {
    /** As long as a prompt the webhook takes from a user. */
    static final int MAX_PROMPT_LENGTH = 2000;
    private static final Pattern LIST_MARK = Pattern.compile(
            "^(?:[-*•–—]+\\s*|\\(?\\d{1,2}[.):]\\s*|(?:prompt|промпт|запрос)\\s*\\d*\\s*[:.)-]\\s*)+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final String QUOTES = "\"'“”«»„`*";

    private GeneratedPrompts() {
    }

    static List<String> parse(String answer, int wanted) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> prompts = new ArrayList<>();
        for (String line : answer.split("\\R")) {
            String prompt = unquoted(LIST_MARK.matcher(line.strip()).replaceFirst("").strip());
            if (prompt.isEmpty() || prompt.endsWith(":")) {
                continue;
            }
            if (prompt.length() > MAX_PROMPT_LENGTH) {
                prompt = prompt.substring(0, MAX_PROMPT_LENGTH).strip();
            }
            if (seen.add(prompt.toLowerCase(Locale.ROOT)) && prompts.size() < wanted) {
                prompts.add(prompt);
            }
        }
        return prompts;
    }

    private static String unquoted(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && QUOTES.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && QUOTES.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(start, end).strip();
    }
}
