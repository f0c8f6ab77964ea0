package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Texts;
import imagine.core.telegram.CallbackQuery;
import imagine.core.telegram.Message;
import imagine.core.telegram.Update;
import imagine.core.telegram.User;
import imagine.core.usage.UsageLedger;
import imagine.core.usage.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Decides what an update asks for: a command's answer, prompts to draw, a menu button's effect, or nothing. */
final class Conversation {
    private final WebhookSettings settings;
    private final Catalog catalog;
    private final UserState users;
    private final Menus menus;
    private final SettingsCallbacks callbacks;

    Conversation(WebhookSettings settings, Catalog catalog, UserState users) {
        this.settings = settings;
        this.catalog = catalog;
        this.users = users;
        this.menus = new Menus(catalog);
        this.callbacks = new SettingsCallbacks(settings, catalog, users, menus);
    }

    Answer answer(Update update) {
        CallbackQuery callbackQuery = update.callbackQuery();
        if (callbackQuery != null) {
            return callbacks.answer(callbackQuery);
        }
        Message message = update.message();
        if (message == null || message.from() == null || message.from().isBot() || message.chat() == null
                || message.text() == null) {
            return Answer.NOTHING;
        }
        Command command = Command.parse(message.text());
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
            return prompts(update, message.text(), texts);
        }
        return switch (command.name()) {
            case "start" -> reply(message, texts.get("start", user.firstName(), WebhookSettings.MAX_PROMPTS_PER_MESSAGE));
            case "help" -> {
                UserSettings.Choices choices = choices(user.id());
                yield reply(message, texts.get("help", WebhookSettings.MAX_PROMPTS_PER_MESSAGE, choices.model().name(),
                        choices.imagesPerPrompt(), PromptLine.keys(catalog)));
            }
            case "imagine" -> prompts(update, command.argument(), texts);
            case "model" -> menu(message, menus.models(user.id(), choices(user.id()), texts));
            case "settings" -> menu(message, menus.settings(user.id(), choices(user.id()), texts));
            case "usage" -> reply(message, usage(user.id(), texts));
            default -> privateChat ? reply(message, texts.get("unknown_command")) : Answer.NOTHING;
        };
    }

    private Answer prompts(Update update, String text, Texts texts) {
        Message message = update.message();
        List<String> lines = text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        if (lines.isEmpty()) {
            return reply(message, texts.get("empty_prompt"));
        }
        long userId = message.from().id();
        UserSettings.Choices choices = choices(userId);
        List<PromptLine> prompts = new ArrayList<>();
        for (String line : lines.subList(0, Math.min(lines.size(), WebhookSettings.MAX_PROMPTS_PER_MESSAGE))) {
            PromptLine prompt = PromptLine.parse(line, catalog, choices, texts);
            if (prompt.problem() != null) {
                return reply(message, prompt.problem());
            }
            if (prompt.prompt().isEmpty()) {
                return reply(message, texts.get("empty_prompt"));
            }
            if (prompt.prompt().length() > WebhookSettings.MAX_PROMPT_LENGTH) {
                return reply(message, texts.get("prompt_too_long", prompt.prompt().length(),
                        WebhookSettings.MAX_PROMPT_LENGTH));
            }
            prompts.add(prompt);
        }
        Units wanted = prompts.stream().map(prompt -> Units.of(prompt.model(), prompt.count()))
                .reduce(Units.NONE, Units::plus);
        Units limits = settings.dailyLimits(userId);
        // Keyed by the update, so a redelivered update is not counted twice.
        UsageLedger.Take take = users.take(userId, "u" + update.updateId(), wanted, limits);
        if (!take.granted()) {
            return reply(message, overQuota(wanted, take.left(limits), limits, texts));
        }
        int total = prompts.stream().mapToInt(PromptLine::count).sum();
        List<Job> jobs = new ArrayList<>(total);
        for (int p = 0; p < prompts.size(); p++) {
            PromptLine prompt = prompts.get(p);
            for (int v = 0; v < prompt.count(); v++) {
                jobs.add(new Job(Job.idFor(update.updateId(), p, v), message.chat().id(), message.messageId(),
                        message.from().id(), texts.language(), prompt.prompt(), prompt.model().key(),
                        prompt.aspectRatio(), jobs.size() + 1, total, choices.asFile(), take.day()));
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

    private UserSettings.Choices choices(long userId) {
        return users.settings(userId).resolve(catalog, settings);
    }

    private String usage(long userId, Texts texts) {
        Units used = users.usedToday(userId);
        Units limits = settings.dailyLimits(userId);
        StringBuilder text = new StringBuilder(line("images", used.images(), limits.images(), texts));
        if (catalog.models().stream().anyMatch(model -> model.kind().equals("video"))) {
            text.append("\n").append(line("videos", used.videos(), limits.videos(), texts));
        }
        return text.append("\n").append(texts.get("usage.resets")).toString();
    }

    private static String line(String kind, int used, int limit, Texts texts) {
        return limit == 0
                ? texts.get("usage." + kind + ".unlimited", used)
                : texts.get("usage." + kind, used, limit, Math.max(0, limit - used));
    }

    /** Which kind ran short: none left at all, or fewer than the message asks for. */
    private static String overQuota(Units wanted, Units left, Units limits, Texts texts) {
        boolean images = wanted.images() > left.images();
        String kind = images ? "images" : "videos";
        int leftOfKind = images ? left.images() : left.videos();
        if (leftOfKind == 0) {
            return texts.get("quota_used_up", texts.count(kind, images ? limits.images() : limits.videos()));
        }
        return texts.get("quota_not_enough", texts.count(kind, images ? wanted.images() : wanted.videos()),
                leftOfKind);
    }

    private static Answer menu(Message message, Menu menu) {
        return Answer.reply(BotReply.withKeyboard(message.chat().id(), message.messageId(), menu));
    }

    private static Answer reply(Message message, String text) {
        return Answer.reply(BotReply.message(message.chat().id(), message.messageId(), text));
    }
}
