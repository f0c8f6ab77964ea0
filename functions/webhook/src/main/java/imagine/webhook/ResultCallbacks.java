package imagine.webhook;

import imagine.core.Catalog;
import imagine.core.DeliveredResult;
import imagine.core.Job;
import imagine.core.Model;
import imagine.core.ResultButtons;
import imagine.core.Texts;
import imagine.core.telegram.CallbackQuery;
import imagine.core.telegram.Message;
import imagine.core.usage.UsageLedger;
import imagine.core.usage.Units;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Taps on the buttons under a result: 🔁 Again and 🎬 Animate are new jobs, counted like a prompt; 🖼 Full size is
 * a task for a worker, which sends the stored original. The button names the result's job; what it was made from
 * is read from the record the worker wrote when it sent the result. Each tap is answered at once with a toast;
 * a tap on someone else's result, or on one whose record has expired, changes nothing.
 */
final class ResultCallbacks {
    static final Set<String> ACTIONS = Set.of(ResultButtons.AGAIN, ResultButtons.FULL_SIZE, ResultButtons.ANIMATE);

    private final WebhookSettings settings;
    private final Catalog catalog;
    private final UserState users;
    private final ResultLookup results;

    ResultCallbacks(WebhookSettings settings, Catalog catalog, UserState users, ResultLookup results) {
        this.settings = settings;
        this.catalog = catalog;
        this.users = users;
        this.results = results;
    }

    Answer answer(long updateId, CallbackQuery query, CallbackData data, Texts texts) {
        long userId = query.from().id();
        if (data.owner() != userId) {
            return toast(query, texts.get("result_not_yours"), List.of());
        }
        Optional<DeliveredResult> found = results.find(data.value());
        if (found.isEmpty()) {
            return toast(query, texts.get("result_gone"), List.of());
        }
        DeliveredResult result = found.get();
        if (result.job().userId() != userId) {
            return toast(query, texts.get("result_not_yours"), List.of());
        }
        Job original = result.job();
        Message message = query.message();
        // A tap's job answers the result itself, in the chat where it was tapped.
        Tap tap = new Tap(Job.tapIdFor(updateId, data.action()), message.chat().id(), message.messageId(), userId,
                texts.language());
        return switch (data.action()) {
            case ResultButtons.AGAIN -> again(updateId, query, tap, original, texts);
            case ResultButtons.ANIMATE -> animate(updateId, query, tap, result, texts);
            default -> toast(query, texts.get("full_size_accepted"), List.of(new Job(tap.jobId, tap.chatId,
                    tap.replyTo, userId, tap.language, original.prompt(), original.model(), original.aspectRatio(), 1, 1,
                    Job.FULL_SIZE, null, true, null, result.mediaKey())));
        };
    }

    private record Tap(String jobId, long chatId, long replyTo, long userId, String language) {
    }

    /** The same prompt, model, aspect ratio and photo (or image of ours) once more. */
    private Answer again(long updateId, CallbackQuery query, Tap tap, Job original, Texts texts) {
        Optional<Model> model = catalog.find(original.model()).filter(found -> !found.isText());
        if (model.isEmpty()) {
            return toast(query, texts.get("result_model_gone"), List.of());
        }
        return counted(updateId, query, model.get(), texts.get("again_accepted", model.get().name()), texts,
                day -> new Job(tap.jobId, tap.chatId, tap.replyTo, tap.userId, tap.language, original.prompt(),
                        original.model(), original.aspectRatio(), 1, 1, null, original.photoFileId(),
                        original.asFile(), day, original.mediaKey()));
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
                day -> new Job(tap.jobId, tap.chatId, tap.replyTo, tap.userId, tap.language, original.prompt(),
                        model.key(), ratio, 1, 1, null, null, original.asFile(), day, result.mediaKey()));
    }

    /** Counted against the day's quota like a prompt, keyed by the tap's update so a redelivered tap counts once. */
    private Answer counted(long updateId, CallbackQuery query, Model model, String accepted, Texts texts,
                           Function<String, Job> jobOnDay) {
        long userId = query.from().id();
        Units wanted = Units.of(model, 1);
        Units limits = settings.dailyLimits(userId);
        UsageLedger.Take take = users.take(userId, "u" + updateId, wanted, limits);
        if (!take.granted()) {
            return toast(query, Conversation.overQuota(wanted, take.left(limits), limits, texts), List.of());
        }
        return toast(query, accepted, List.of(jobOnDay.apply(take.day())));
    }

    private static Answer toast(CallbackQuery query, String text, List<Job> jobs) {
        return new Answer(jobs, CallbackAnswer.toast(query.id(), text));
    }
}
