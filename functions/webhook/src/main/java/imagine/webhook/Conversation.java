package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.Job;
import imagine.core.Model;
import imagine.core.ModelKind;
import imagine.core.Task;
import imagine.core.Texts;
import imagine.core.telegram.CallbackQuery;
import imagine.core.telegram.Message;
import imagine.core.telegram.Update;
import imagine.core.telegram.User;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decides what an update asks for: a command's answer, prompts to draw, a menu button's effect, or nothing. A picture
 * sent as a photo or as an image file is worked on as its caption says; other media, and a command line among
 * prompts, get a reply that says why nothing was done.
 */
final class Conversation {
    /** Telegram's limit on files a bot may download with getFile. */
    static final long MAX_PHOTO_BYTES = 20L * 1024 * 1024;
    private final WebhookSettings settings;
    private final Catalog catalog;
    private final UserState users;
    private final Menus menus;
    private final ButtonTaps taps;

    Conversation(WebhookSettings settings, Catalog catalog, UserState users, ResultLookup results) {
        this.settings = settings;
        this.catalog = catalog;
        this.users = users;
        this.menus = new Menus(catalog);
        this.taps = new ButtonTaps(settings, catalog, new SettingsButtonTaps(settings, catalog, users, menus),
                new ResultButtonTaps(settings, catalog, users, results));
    }

    Answer answer(Update update) {
        CallbackQuery callbackQuery = update.callbackQuery();
        if (callbackQuery != null) {
            return taps.answer(update.updateId(), callbackQuery);
        }
        Message message = update.message();
        Attachment attachment = message == null ? Attachment.NONE : Attachment.of(message);
        if (message == null || message.from() == null || message.from().isBot() || message.chat() == null
                || message.words() == null && attachment.kind() == Attachment.Kind.NONE) {
            return Answer.NOTHING;
        }
        // Blank lines around a command do not make it part of a longer message.
        String words = message.words() == null ? "" : message.words().strip();
        Command command = Command.parse(words);
        boolean privateChat = message.chat().isPrivate();
        if (command == null && !privateChat || command != null && !command.isFor(settings.botUsername())) {
            return Answer.NOTHING;
        }
        User user = message.from();
        Texts texts = Texts.forLanguage(user.languageCode());
        if (!settings.admits(user.id())) {
            return reply(message, texts.get("not_allowed", user.id())).refusedFor(Refusal.ALLOW_LIST);
        }
        if (attachment.kind() == Attachment.Kind.OTHER_MEDIA) {
            return reply(message, texts.get("media_not_supported"));
        }
        if (attachment.kind() == Attachment.Kind.OTHER_IMAGE) {
            return reply(message, texts.get("image_type_not_supported"));
        }
        List<String> lines = words.lines().toList();
        if (command == null) {
            return commandAmong(lines, 0, message, texts)
                    .orElseGet(() -> prompts(update, words, attachment, forPrompts(user.id(), attachment), false,
                            texts));
        }
        if (!command.takesLines() && lines.size() > 1) {
            return notAlone(1, command, message, texts);
        }
        if (command.drawsItsLines()) {
            Optional<Answer> among = commandAmong(lines, 1, message, texts);
            if (among.isPresent()) {
                return among.get();
            }
        }
        return switch (command.name()) {
            case "start" -> reply(message, texts.get("start", user.firstName(), WebhookSettings.MAX_PROMPTS_PER_MESSAGE));
            case "help" -> {
                UserSettings.Choices choices = choices(user.id());
                yield reply(message, texts.get("help", WebhookSettings.MAX_PROMPTS_PER_MESSAGE, choices.model().name(),
                        choices.imagesPerPrompt(), PromptLine.keys(catalog), catalog.ofKind(ModelKind.IMAGE).stream()
                                .map(Model::name).collect(Collectors.joining(", ")), PromptLine.seededKeys(catalog))
                        + "\n\n" + texts.get("kept") + "\n" + texts.get("kept.forget"));
            }
            case "imagine" -> prompts(update, command.argument(), attachment, forPrompts(user.id(), attachment), false,
                    texts);
            case "compare" -> prompts(update, command.argument(), attachment, choices(user.id()), true, texts);
            case "video" -> prompts(update, command.argument(), attachment, forVideo(choices(user.id()), attachment),
                    false, texts);
            case "idea" -> idea(update, command.argument(), texts);
            case "write" -> write(update, command.argument(), texts);
            case "model" -> menu(message, menus.models(user.id(), choices(user.id()), texts));
            case "settings" -> menu(message, menus.settings(user.id(), choices(user.id()), texts));
            case "usage" -> reply(message, usage(user.id(), texts));
            case "forget" -> menu(message, menus.forget(user.id(), texts));
            case "stats" -> settings.adminUserIds().contains(user.id())
                    ? Answer.quietly(Job.builder().jobId(Job.taskIdFor(update.updateId(), Task.STATS))
                            .replyingTo(message.chat().id(), message.messageId()).user(user.id(), texts.language())
                            .task(Task.STATS).build())
                    : reply(message, texts.get("stats_admins_only"));
            case "cancel" -> {
                users.cancelThrough(user.id(), update.updateId());
                // Jobs not started yet see the mark before they pay; predictions being made are stopped by this task.
                Job stop = Job.builder().jobId(Job.taskIdFor(update.updateId(), Task.CANCEL))
                        .replyingTo(message.chat().id(), message.messageId()).user(user.id(), texts.language())
                        .task(Task.CANCEL).build();
                yield new Answer(List.of(stop), BotReply.message(message.chat().id(), message.messageId(),
                        texts.get("canceled_all")));
            }
            default -> privateChat ? reply(message, texts.get("unknown_command")) : Answer.NOTHING;
        };
    }

    /**
     * A line among what would be drawn, from {@code from} (0-based) on, that is one of the bot's commands: the user
     * meant it as a command, so nothing is drawn and the reply says which line it is.
     */
    private static Optional<Answer> commandAmong(List<String> lines, int from, Message message, Texts texts) {
        for (int i = from; i < lines.size(); i++) {
            Command command = Command.parse(lines.get(i).strip());
            if (command != null && command.isKnown()) {
                return Optional.of(notAlone(i + 1, command, message, texts));
            }
        }
        return Optional.empty();
    }

    private static Answer notAlone(int line, Command command, Message message, Texts texts) {
        return reply(message, texts.get("command_not_alone", line, "/" + command.name()));
    }

    /**
     * The answer when the user's state could not be read or written: nothing was done, and the user is asked to send
     * the message, or tap the button, again in a minute.
     */
    Answer sendAgainLater(Update update) {
        return notice(update, "state_unavailable");
    }

    /** The answer when what the update asks for would pass the day's budget: nothing was done, and the user is told. */
    Answer overBudget(Update update) {
        return notice(update, "budget_reached").refusedFor(Refusal.BUDGET);
    }

    /** A message in reply, or a toast for a tap ({@code key + ".tap"}), in the user's language. */
    private static Answer notice(Update update, String key) {
        CallbackQuery query = update.callbackQuery();
        if (query != null) {
            return query.id() == null || query.from() == null ? Answer.NOTHING : Answer.reply(AnswerCallbackQuery.toast(
                    query.id(), Texts.forLanguage(query.from().languageCode()).get(key + ".tap")));
        }
        Message message = update.message();
        if (message == null || message.from() == null || message.chat() == null) {
            return Answer.NOTHING;
        }
        return reply(message, Texts.forLanguage(message.from().languageCode()).get(key));
    }

    /**
     * Prompts to draw, one per line; with a photo, its caption is one instruction for a model that works on
     * the photo (the catalog's first edit model unless the caption names another). A comparison (every line of
     * {@code /compare}, or a line with {@code --model all}) is one job per image model, sent as one album.
     *
     * @param compare every line is a comparison
     */
    private Answer prompts(Update update, String text, Attachment picture, UserSettings.Choices choices,
                           boolean compare, Texts texts) {
        Message message = update.message();
        List<String> lines = text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        boolean photo = picture.isPicture();
        if (photo) {
            if (lines.isEmpty()) {
                return reply(message, texts.get("photo_needs_caption"));
            }
            if (picture.fileSize() != null && picture.fileSize() > MAX_PHOTO_BYTES) {
                return reply(message, texts.get("photo_too_large", MAX_PHOTO_BYTES / (1024 * 1024)));
            }
            lines = List.of(String.join(" ", lines));
        }
        String empty = photo ? "photo_needs_caption" : compare ? "empty_compare" : "empty_prompt";
        if (lines.isEmpty()) {
            return reply(message, texts.get(empty));
        }
        long userId = message.from().id();
        List<PromptLine> prompts = new ArrayList<>();
        for (String line : lines.subList(0, Math.min(lines.size(), WebhookSettings.MAX_PROMPTS_PER_MESSAGE))) {
            PromptLine prompt = PromptLine.parse(line, catalog, choices, compare, texts);
            if (prompt.problem() != null) {
                return reply(message, prompt.problem());
            }
            if (prompt.prompt().isEmpty()) {
                return reply(message, texts.get(empty));
            }
            if (photo && prompt.comparison()) {
                return reply(message, texts.get("compare_takes_no_photo"));
            }
            if (photo && prompt.model().imageField() == null) {
                return reply(message, texts.get("model_takes_no_photo", prompt.model().name(), photoModels()));
            }
            if (!photo && prompt.model().imageRequired()) {
                return reply(message, texts.get("model_needs_photo", prompt.model().name()));
            }
            Answer refused = refusal(message, prompt.prompt(), texts);
            if (refused != null) {
                return refused;
            }
            prompts.add(prompt);
        }
        Units wanted = prompts.stream().flatMap(prompt -> prompt.drawings().stream())
                .map(drawing -> Units.of(drawing.model(), 1)).reduce(Units.NONE, Units::plus);
        Units limits = settings.dailyLimits(userId);
        // Keyed by the update, so a redelivered update is not counted twice; the last call to S3 before the jobs are
        // enqueued, so a failure of the state never leaves a message counted and not enqueued.
        UsageLedger.Take take = users.take(userId, "u" + update.updateId(), wanted, limits);
        if (!take.granted()) {
            return reply(message, overQuota(wanted, take.left(limits), limits, texts)).refusedFor(Refusal.QUOTA);
        }
        int total = prompts.stream().mapToInt(PromptLine::count).sum();
        List<Job> jobs = new ArrayList<>(total);
        for (int p = 0; p < prompts.size(); p++) {
            PromptLine prompt = prompts.get(p);
            for (int v = 0; v < prompt.count(); v++) {
                PromptLine.Drawing drawing = prompt.drawings().get(v);
                jobs.add(Job.builder().jobId(Job.idFor(update.updateId(), p, v))
                        .replyingTo(message.chat().id(), message.messageId())
                        .user(message.from().id(), texts.language())
                        .prompt(prompt.prompt()).model(drawing.model().key()).aspectRatio(drawing.aspectRatio())
                        .seed(drawing.seed()).comparison(prompt.comparison(), drawing.askedRatio())
                        .position(jobs.size() + 1, total)
                        .photoFileId(picture.fileId())
                        .asFile(choices.asFile()).quotaDay(take.day()).albumSize(albumSize(choices.album(), prompt))
                        .build());
            }
        }
        String models = prompts.stream().flatMap(prompt -> prompt.drawings().stream())
                .map(drawing -> drawing.model().name()).distinct().collect(Collectors.joining(", "));
        boolean videos = prompts.stream().allMatch(prompt -> prompt.model().isVideo());
        boolean comparisons = prompts.stream().allMatch(PromptLine::comparison);
        String accepted = comparisons
                ? texts.get("accepted.compare", models)
                : videos
                ? texts.get("accepted.video", texts.count("videos", total), models)
                : total == 1
                ? texts.get("accepted.single", models)
                : texts.get("accepted", texts.count("prompts", prompts.size()), texts.count("images", total), models);
        if (lines.size() > prompts.size()) {
            accepted += "\n" + texts.get("too_many_prompts", prompts.size(), lines.size());
        }
        return new Answer(jobs, BotReply.message(message.chat().id(), message.messageId(), accepted));
    }

    /**
     * How many images of the prompt go as one album: a comparison's always, and in album mode two or more pictures
     * (videos go one by one).
     */
    private static int albumSize(boolean album, PromptLine prompt) {
        return (album || prompt.comparison()) && prompt.count() > 1 && !prompt.model().isVideo() ? prompt.count() : 0;
    }

    private UserSettings.Choices forPrompts(long userId, Attachment picture) {
        return picture.isPicture() ? forPhoto(choices(userId)) : choices(userId);
    }

    /**
     * For {@code /video}: the user's model if it makes videos from what was sent (a prompt, or a photo and a
     * prompt), else the catalog's first that does; one video a prompt unless {@code --n} says otherwise.
     */
    private UserSettings.Choices forVideo(UserSettings.Choices choices, Attachment picture) {
        Model chosen = choices.model();
        boolean fits = chosen.isVideo()
                && (picture.isPicture() ? chosen.imageField() != null : !chosen.imageRequired());
        Model video = fits ? chosen : catalog.videoModel(picture.isPicture());
        return new UserSettings.Choices(video, fits ? choices.aspectRatio() : video.defaultAspectRatio(), 1,
                choices.asFile(), choices.album());
    }

    /** For a photo: the user's model if it works on one, else the catalog's edit model. */
    private UserSettings.Choices forPhoto(UserSettings.Choices choices) {
        if (choices.model().imageField() != null) {
            return choices;
        }
        Model edit = catalog.editModel();
        return new UserSettings.Choices(edit, edit.defaultAspectRatio(), choices.imagesPerPrompt(), choices.asFile(),
                choices.album());
    }

    private String photoModels() {
        return catalog.imageModels().stream().filter(model -> model.imageField() != null).map(Model::key)
                .collect(Collectors.joining(", "));
    }

    /** One planning job: the text model writes the prompts in the worker, each then drawn as its own job. */
    private Answer idea(Update update, String text, Texts texts) {
        Message message = update.message();
        String line = String.join(" ", text.strip().split("\\s+"));
        if (line.isEmpty()) {
            return reply(message, texts.get("empty_idea"));
        }
        UserSettings.Choices choices = choices(message.from().id());
        PromptLine idea = PromptLine.parse(line, catalog, choices, false, texts);
        if (idea.problem() != null) {
            return reply(message, idea.problem());
        }
        if (idea.comparison()) {
            return reply(message, texts.get("compare_not_for_ideas", PromptLine.keys(catalog)));
        }
        if (idea.prompt().isEmpty()) {
            return reply(message, texts.get("empty_idea"));
        }
        Answer refused = refusal(message, idea.prompt(), texts);
        if (refused != null) {
            return refused;
        }
        Units limits = settings.dailyLimits(message.from().id());
        UsageLedger.Take take = users.take(message.from().id(), "u" + update.updateId(),
                Units.of(idea.model(), idea.count()), limits);
        if (!take.granted()) {
            return reply(message, overQuota(Units.of(idea.model(), idea.count()), take.left(limits), limits, texts))
                    .refusedFor(Refusal.QUOTA);
        }
        Job job = Job.builder().jobId(Job.taskIdFor(update.updateId(), Task.IDEA))
                .replyingTo(message.chat().id(), message.messageId()).user(message.from().id(), texts.language())
                .prompt(idea.prompt()).model(idea.model().key()).aspectRatio(idea.aspectRatio())
                .position(1, idea.count()).task(Task.IDEA).asFile(choices.asFile()).quotaDay(take.day())
                .seed(idea.seed()).build();
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
        Answer refused = refusal(message, request, texts);
        if (refused != null) {
            return refused;
        }
        Units wanted = Units.of(catalog.textModel(), 1);
        Units limits = settings.dailyLimits(message.from().id());
        UsageLedger.Take take = users.take(message.from().id(), "u" + update.updateId(), wanted, limits);
        if (!take.granted()) {
            return reply(message, overQuota(wanted, take.left(limits), limits, texts)).refusedFor(Refusal.QUOTA);
        }
        Job job = Job.builder().jobId(Job.taskIdFor(update.updateId(), Task.WRITE))
                .replyingTo(message.chat().id(), message.messageId()).user(message.from().id(), texts.language())
                .prompt(request).task(Task.WRITE).quotaDay(take.day())
                .build();
        return new Answer(List.of(job), BotReply.message(message.chat().id(), message.messageId(),
                texts.get("write_accepted")));
    }

    /** The reply when a typed prompt is not taken (too long, or a blocked term), checked before anything is paid for. */
    private Answer refusal(Message message, String prompt, Texts texts) {
        if (prompt.length() > WebhookSettings.MAX_PROMPT_LENGTH) {
            return reply(message, texts.get("prompt_too_long", prompt.length(), WebhookSettings.MAX_PROMPT_LENGTH));
        }
        return settings.blockedTerms().foundIn(prompt)
                .map(term -> reply(message, texts.get("blocked_prompt", Texts.excerpt(prompt), term))
                        .refusedFor(Refusal.BLOCKED_TERM))
                .orElse(null);
    }

    private UserSettings.Choices choices(long userId) {
        return users.settings(userId).resolve(catalog, settings);
    }

    private String usage(long userId, Texts texts) {
        Units used = users.usedToday(userId);
        Units limits = settings.dailyLimits(userId);
        StringBuilder text = new StringBuilder(line("images", used.images(), limits.images(), texts));
        if (catalog.models().stream().anyMatch(Model::isVideo)) {
            text.append("\n").append(line("videos", used.videos(), limits.videos(), texts));
        }
        text.append("\n").append(line("texts", used.texts(), limits.texts(), texts));
        return text.append("\n").append(texts.get("usage.resets")).toString();
    }

    private static String line(String kind, int used, int limit, Texts texts) {
        return limit == 0
                ? texts.get("usage." + kind + ".unlimited", used)
                : texts.get("usage." + kind, used, limit, Math.max(0, limit - used));
    }

    /** Which kind ran short (images, videos or texts): none left at all, or fewer than the message asks for. */
    static String overQuota(Units wanted, Units left, Units limits, Texts texts) {
        Shortfall shortfall = Stream.of(
                        new Shortfall("images", wanted.images(), left.images(), limits.images()),
                        new Shortfall("videos", wanted.videos(), left.videos(), limits.videos()),
                        new Shortfall("texts", wanted.texts(), left.texts(), limits.texts()))
                .filter(kind -> kind.asked() > kind.left()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("nothing ran short"));
        if (shortfall.left() == 0) {
            return texts.get("quota_used_up", texts.count(shortfall.kind(), shortfall.limit()));
        }
        return texts.get("quota_not_enough", texts.count(shortfall.kind(), shortfall.asked()), shortfall.left());
    }

    private record Shortfall(String kind, int asked, int left, int limit) {
    }

    private static Answer menu(Message message, Menu menu) {
        return Answer.reply(BotReply.withKeyboard(message.chat().id(), message.messageId(), menu));
    }

    private static Answer reply(Message message, String text) {
        return Answer.reply(BotReply.message(message.chat().id(), message.messageId(), text));
    }
}
