package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Model;
import imagine.core.Texts;
import imagine.core.telegram.Message;
import imagine.core.telegram.PhotoSize;
import imagine.core.telegram.Update;
import imagine.core.telegram.User;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Decides what an update asks for: a command's answer, prompts to draw, or nothing. */
final class Conversation {
    /** Telegram's limit on files a bot may download with getFile. */
    static final long MAX_PHOTO_BYTES = 20L * 1024 * 1024;
    private final WebhookSettings settings;
    private final Catalog catalog;

    Conversation(WebhookSettings settings, Catalog catalog) {
        this.settings = settings;
        this.catalog = catalog;
    }

    Answer answer(Update update) {
        Message message = update.message();
        if (message == null || message.from() == null || message.from().isBot() || message.chat() == null
                || message.words() == null && message.largestPhoto() == null) {
            return Answer.NOTHING;
        }
        PhotoSize photo = message.largestPhoto();
        String words = message.words() == null ? "" : message.words();
        Command command = Command.parse(words);
        boolean privateChat = message.chat().isPrivate();
        if (command == null && !privateChat || command != null && !command.isFor(settings.botUsername())) {
            return Answer.NOTHING;
        }
        User user = message.from();
        Texts texts = Texts.forLanguage(user.languageCode());
        if (!settings.admits(user.id())) {
            return reply(message, texts.get("not_allowed", user.id()));
        }
        if (command == null) {
            return prompts(update, words, photo, texts);
        }
        Model model = catalog.get(settings.defaultModel());
        return switch (command.name()) {
            case "start" -> reply(message, texts.get("start", user.firstName(), WebhookSettings.MAX_PROMPTS_PER_MESSAGE));
            case "help" -> reply(message, texts.get("help", WebhookSettings.MAX_PROMPTS_PER_MESSAGE, model.name(),
                    settings.imagesPerPrompt(), PromptLine.keys(catalog)));
            case "imagine" -> prompts(update, command.argument(), photo, texts);
            case "idea" -> idea(update, command.argument(), texts);
            case "write" -> write(update, command.argument(), texts);
            default -> privateChat ? reply(message, texts.get("unknown_command")) : Answer.NOTHING;
        };
    }

    /**
     * Prompts to draw, one per line; with a photo, its caption is one instruction for a model that works on
     * the photo (the catalog's first edit model unless the caption names another).
     */
    private Answer prompts(Update update, String text, PhotoSize photo, Texts texts) {
        Message message = update.message();
        List<String> lines = text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        if (photo != null) {
            if (lines.isEmpty()) {
                return reply(message, texts.get("photo_needs_caption"));
            }
            if (photo.fileSize() != null && photo.fileSize() > MAX_PHOTO_BYTES) {
                return reply(message, texts.get("photo_too_large", MAX_PHOTO_BYTES / (1024 * 1024)));
            }
            lines = List.of(String.join(" ", lines));
        }
        if (lines.isEmpty()) {
            return reply(message, texts.get("empty_prompt"));
        }
        Model defaultModel = photo != null ? catalog.editModel() : catalog.get(settings.defaultModel());
        List<PromptLine> prompts = new ArrayList<>();
        for (String line : lines.subList(0, Math.min(lines.size(), WebhookSettings.MAX_PROMPTS_PER_MESSAGE))) {
            PromptLine prompt = PromptLine.parse(line, catalog, defaultModel, settings.imagesPerPrompt(), texts);
            if (prompt.problem() != null) {
                return reply(message, prompt.problem());
            }
            if (prompt.prompt().isEmpty()) {
                return reply(message, texts.get(photo != null ? "photo_needs_caption" : "empty_prompt"));
            }
            if (photo != null && prompt.model().imageField() == null) {
                return reply(message, texts.get("model_takes_no_photo", prompt.model().name(), photoModels()));
            }
            if (photo == null && prompt.model().imageRequired()) {
                return reply(message, texts.get("model_needs_photo", prompt.model().name()));
            }
            String problem = problem(prompt.prompt(), texts);
            if (problem != null) {
                return reply(message, problem);
            }
            prompts.add(prompt);
        }
        int total = prompts.stream().mapToInt(PromptLine::count).sum();
        List<Job> jobs = new ArrayList<>(total);
        for (int p = 0; p < prompts.size(); p++) {
            PromptLine prompt = prompts.get(p);
            for (int v = 0; v < prompt.count(); v++) {
                jobs.add(new Job(Job.idFor(update.updateId(), p, v), message.chat().id(), message.messageId(),
                        message.from().id(), texts.language(), prompt.prompt(), prompt.model().key(),
                        prompt.aspectRatio(), jobs.size() + 1, total, null, photo == null ? null : photo.fileId()));
            }
        }
        String models = prompts.stream().map(prompt -> prompt.model().name()).distinct()
                .collect(Collectors.joining(", "));
        String accepted = total == 1
                ? texts.get("accepted.single", models)
                : texts.get("accepted", texts.count("prompts", prompts.size()), texts.count("images", total), models);
        if (lines.size() > prompts.size()) {
            accepted += "\n" + texts.get("too_many_prompts", prompts.size(), lines.size());
        }
        return new Answer(jobs, BotReply.message(message.chat().id(), message.messageId(), accepted));
    }

    private String photoModels() {
        return catalog.models().stream().filter(model -> model.imageField() != null).map(Model::key)
                .collect(Collectors.joining(", "));
    }

    /** One planning job: the text model writes the prompts in the worker, each then drawn as its own job. */
    private Answer idea(Update update, String text, Texts texts) {
        Message message = update.message();
        String line = String.join(" ", text.strip().split("\\s+"));
        if (line.isEmpty()) {
            return reply(message, texts.get("empty_idea"));
        }
        PromptLine idea = PromptLine.parse(line, catalog, catalog.get(settings.defaultModel()),
                settings.imagesPerPrompt(), texts);
        if (idea.problem() != null) {
            return reply(message, idea.problem());
        }
        if (idea.prompt().isEmpty()) {
            return reply(message, texts.get("empty_idea"));
        }
        String problem = problem(idea.prompt(), texts);
        if (problem != null) {
            return reply(message, problem);
        }
        Job job = new Job(Job.planningIdFor(update.updateId(), Job.IDEA), message.chat().id(), message.messageId(),
                message.from().id(), texts.language(), idea.prompt(), idea.model().key(), idea.aspectRatio(), 1,
                idea.count(), Job.IDEA, null);
        return new Answer(List.of(job), BotReply.message(message.chat().id(), message.messageId(),
                texts.get("idea_accepted", texts.count("prompts", idea.count()), idea.model().name())));
    }

    /** One planning job whose text is sent back as messages. */
    private Answer write(Update update, String text, Texts texts) {
        Message message = update.message();
        String request = text.strip();
        if (request.isEmpty()) {
            return reply(message, texts.get("empty_write"));
        }
        String problem = problem(request, texts);
        if (problem != null) {
            return reply(message, problem);
        }
        Job job = new Job(Job.planningIdFor(update.updateId(), Job.WRITE), message.chat().id(), message.messageId(),
                message.from().id(), texts.language(), request, null, null, 1, 1, Job.WRITE, null);
        return new Answer(List.of(job), BotReply.message(message.chat().id(), message.messageId(),
                texts.get("write_accepted")));
    }

    /** Why a typed prompt is not taken (too long, or a blocked term), checked before anything is paid for. */
    private String problem(String prompt, Texts texts) {
        if (prompt.length() > WebhookSettings.MAX_PROMPT_LENGTH) {
            return texts.get("prompt_too_long", prompt.length(), WebhookSettings.MAX_PROMPT_LENGTH);
        }
        return settings.blockedTerms().foundIn(prompt)
                .map(term -> texts.get("blocked_prompt", Texts.excerpt(prompt), term))
                .orElse(null);
    }

    private static Answer reply(Message message, String text) {
        return Answer.reply(BotReply.message(message.chat().id(), message.messageId(), text));
    }
}
