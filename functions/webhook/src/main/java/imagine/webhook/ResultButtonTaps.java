package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.DeliveredResult;
import imagine.core.Job;
import imagine.core.Model;
import imagine.core.ResultButtons;
import imagine.core.Task;
import imagine.core.Texts;
import imagine.core.telegram.CallbackQuery;
import imagine.core.telegram.Message;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Taps on the buttons under a result: 🔁 Again, 🎬 Animate and 🔍 Upscale are new jobs, counted like a prompt (a
 * redelivered tap is the same job, counted once); 🖼 Full size is a task for a worker, which sends the stored original
 * once per result (every tap on it is the same job). The button names the result's job; what it was made from
 * is read from the record the worker wrote when it sent the result. Each tap is answered at once with a toast;
 * a tap on someone else's result, or on one whose record has expired, changes nothing.
 */
final class ResultButtonTaps {
    static final Set<String> ACTIONS = Set.of(ResultButtons.AGAIN, ResultButtons.FULL_SIZE, ResultButtons.ANIMATE,
            ResultButtons.UPSCALE);

    private final WebhookSettings settings;
    private final Catalog catalog;
    private final UserState users;
    private final ResultLookup results;

    ResultButtonTaps(WebhookSettings settings, Catalog catalog, UserState users, ResultLookup results) {
        this.settings = settings;
        this.catalog = catalog;
        this.users = users;
        this.results = results;
    }

    Answer answer(long updateId, CallbackQuery query, ButtonData data, Texts texts) {
        long userId = query.from().id();
        if (data.owner() != userId) {
            return toast(query, texts.get("result_not_yours"), List.of());
        }
        Optional<DeliveredResult> found = results.find(userId, data.value());
        if (found.isEmpty()) {
            return toast(query, texts.get("result_gone"), List.of());
        }
        DeliveredResult result = found.get();
        if (result.job().userId() != userId) {
            return toast(query, texts.get("result_not_yours"), List.of());
        }
        Job original = result.job();
        Message message = query.message();
        Tap tap = new Tap(Job.tapIdFor(updateId, data.action()), message.chat().id(), message.messageId(), userId,
                texts.language());
        return switch (data.action()) {
            case ResultButtons.AGAIN -> again(updateId, query, tap, original, texts);
            case ResultButtons.ANIMATE -> animate(updateId, query, tap, result, texts);
            case ResultButtons.UPSCALE -> upscale(updateId, query, tap, result, texts);
            default -> toast(query, texts.get("full_size_accepted"), List.of(tap.job()
                    .jobId(Job.fullSizeIdFor(original.jobId()))
                    .prompt(original.prompt()).model(original.model()).aspectRatio(original.aspectRatio())
                    .task(Task.FULL_SIZE).asFile(true).mediaKey(result.mediaKey()).seed(result.seed())
                    .build()));
        };
    }

    private record Tap(String jobId, long chatId, long replyTo, long userId, String language) {
        /** A job that answers the tapped result itself, in the chat where it was tapped. */
        Job.Builder job() {
            return Job.builder().jobId(jobId).replyingTo(chatId, replyTo).user(userId, language);
        }
    }

    /**
     * The same prompt, model, aspect ratio and photo (or image of ours) once more: with the seed the user chose, the
     * same picture; without one, a new seed and so a new picture.
     */
    private Answer again(long updateId, CallbackQuery query, Tap tap, Job original, Texts texts) {
        Optional<Model> model = catalog.find(original.model()).filter(Model::takesPrompts);
        if (model.isEmpty()) {
            return toast(query, texts.get("result_model_gone"), List.of());
        }
        return counted(updateId, query, model.get(), texts.get("again_accepted", model.get().name()), texts,
                day -> tap.job().prompt(original.prompt()).model(original.model())
                        .aspectRatio(original.aspectRatio()).photoFileId(original.photoFileId())
                        .asFile(original.asFile()).quotaDay(day).mediaKey(original.mediaKey())
                        .seed(original.seed()).build());
    }

    /** The catalog's image-to-video model, starting from this image as it is kept in S3. */
    private Answer animate(long updateId, CallbackQuery query, Tap tap, DeliveredResult result, Texts texts) {
        Optional<Model> video = catalog.animationModel();
        if (!result.isStillImage() || video.isEmpty()) {
            return toast(query, texts.get("callback_stale"), List.of());
        }
        Model model = video.get();
        Job original = result.job();
        String ratio = model.accepts(original.aspectRatio()) ? original.aspectRatio() : model.defaultAspectRatio();
        return counted(updateId, query, model, texts.get("animate_accepted", model.name()), texts,
                day -> tap.job().prompt(original.prompt()).model(model.key()).aspectRatio(ratio)
                        .asFile(original.asFile()).quotaDay(day).mediaKey(result.mediaKey())
                        .build());
    }

    /** The catalog's upscaler, enlarging this image as it is kept in S3; the larger picture goes as a file. */
    private Answer upscale(long updateId, CallbackQuery query, Tap tap, DeliveredResult result, Texts texts) {
        Optional<Model> upscaler = catalog.upscaleModel();
        if (!result.isStillImage() || upscaler.isEmpty()) {
            return toast(query, texts.get("callback_stale"), List.of());
        }
        Model model = upscaler.get();
        return counted(updateId, query, model, texts.get("upscale_accepted", model.name()), texts,
                day -> tap.job().prompt(result.job().prompt()).model(model.key()).asFile(true).quotaDay(day)
                        .mediaKey(result.mediaKey()).build());
    }

    /** Counted against the day's quota like a prompt, keyed by the tap's update so a redelivered tap counts once. */
    private Answer counted(long updateId, CallbackQuery query, Model model, String accepted, Texts texts,
                           Function<String, Job> jobOnDay) {
        long userId = query.from().id();
        Units wanted = Units.of(model, 1);
        Units limits = settings.dailyLimits(userId);
        UsageLedger.Take take = users.take(userId, "u" + updateId, wanted, limits);
        if (!take.granted()) {
            return toast(query, Conversation.overQuota(wanted, take.left(limits), limits, texts), List.of())
                    .refusedFor(Refusal.QUOTA);
        }
        return toast(query, accepted, List.of(jobOnDay.apply(take.day())));
    }

    private static Answer toast(CallbackQuery query, String text, List<Job> jobs) {
        return new Answer(jobs, AnswerCallbackQuery.toast(query.id(), text));
    }
}
