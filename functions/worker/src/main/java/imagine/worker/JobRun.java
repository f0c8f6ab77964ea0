package imagine.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import imagine.core.Cancellations;
import imagine.core.Catalog;
import imagine.core.DeliveredResult;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.Model;
import imagine.core.ModelKind;
import imagine.core.ResultButtons;
import imagine.core.StorageKeys;
import imagine.core.Task;
import imagine.core.Texts;
import imagine.core.telegram.InlineKeyboardMarkup;
import imagine.worker.JobRecord.State;
import imagine.worker.replicate.Prediction;
import imagine.worker.replicate.ReplicateClient.Download;
import imagine.worker.replicate.ReplicateClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One run of a job, from wherever an earlier run left it to its end, in the order of its stages: claim, create,
 * await, store, deliver, record. Each stage is recorded in the job's record before the next begins (through
 * {@link Jobs}), so a redelivered or concurrent copy of the message resumes at the same stage instead of paying for
 * a second prediction or sending a second result.
 */
final class JobRun {

    /** How a run ended, when it did not throw. */
    sealed interface Outcome permits Done, Duplicate, Waits {
    }

    /** Nothing more is owed for the job by this message: it is finished, by this run or an earlier one. */
    record Done() implements Outcome {
    }

    /** Another message carries this job; this one is dropped. */
    record Duplicate() implements Outcome {
    }

    /** The job goes on later, by itself: its message waits {@code after} on the queue. Waiting is not failing. */
    record Waits(Duration after, String why) implements Outcome {
    }

    private final Jobs jobs;
    private final Predictions predictions;
    private final PlanningResults planning;
    private final Endings endings;
    private final Cancellations cancellations;
    private final MediaStore media;
    private final ReplicateClient replicate;
    private final Delivery delivery;
    private final Albums albums;
    private final Catalog catalog;
    private final UserDataEraser eraser;
    private final WorkerTimings timings;
    private final JobReports reports;
    private final DailyReport daily;

    JobRun(Jobs jobs, Predictions predictions, PlanningResults planning, Endings endings, Cancellations cancellations,
           MediaStore media, ReplicateClient replicate, Delivery delivery, Albums albums, Catalog catalog,
           UserDataEraser eraser, WorkerTimings timings, JobReports reports, DailyReport daily) {
        this.jobs = jobs;
        this.predictions = predictions;
        this.planning = planning;
        this.endings = endings;
        this.cancellations = cancellations;
        this.media = media;
        this.replicate = replicate;
        this.delivery = delivery;
        this.albums = albums;
        this.catalog = catalog;
        this.eraser = eraser;
        this.timings = timings;
        this.reports = reports;
        this.daily = daily;
    }

    /**
     * Runs the job as far as it can. Throws when the attempt failed ({@link Failures} decides when to try again).
     *
     * @param messageId the queue message the job came in
     */
    Outcome run(Job job, String messageId, LongSupplier remainingMillis) throws IOException {
        Jobs.Claim claim = jobs.claim(job, job.ownerIn(messageId));
        if (claim instanceof Jobs.Duplicate) {
            return new Duplicate();
        }
        if (claim instanceof Jobs.Busy busy) {
            return new Waits(busy.retryIn(), "another run holds the job");
        }
        if (!(claim instanceof Jobs.Taken taken)) {
            return new Done();
        }
        Jobs.Lease lease = taken.lease();
        try {
            return switch (job.task()) {
                case FULL_SIZE -> sendOriginal(job, lease);
                case FORGET -> forget(job, lease);
                case STATS -> stats(job, lease);
                default -> make(job, lease, remainingMillis);
            };
        } catch (Delivery.ChatUnreachable gone) {
            end(job, lease, endings.chatUnreachable());
            return new Done();
        } catch (Delivery.Undeliverable refused) {
            end(job, lease, endings.undeliverable(job, refused.getMessage()));
            return new Done();
        } catch (IOException | RuntimeException failed) {
            // The next run goes on at once rather than waiting out this run's lease.
            lease.release();
            throw failed;
        }
    }

    private Outcome make(Job job, Jobs.Lease lease, LongSupplier remainingMillis) throws IOException {
        Model model = job.isPlanning() ? catalog.textModel() : catalog.get(job.model());
        Prediction prediction = null;
        // Create: once, or find the one an earlier run made.
        if (lease.state() == State.CLAIMED) {
            if (cancellations.isCanceled(job)) {
                end(job, lease, endings.canceledBeforeStart());
                return new Done();
            }
            delivery.showWorking(job, model);
            Predictions.Start start = predictions.start(job, model, lease);
            if (start instanceof Predictions.Refused refused) {
                end(job, lease, refused.ending());
                return new Done();
            }
            prediction = ((Predictions.Started) start).prediction();
            reports.created(job, model, prediction);
            if (predictions.awaitsCallback(job) && !prediction.isTerminal()) {
                lease.release();
                return new Waits(timings.callbackCheck(), "awaits its callback");
            }
        }
        // Await: by polling, or one look when its callback (or the check-up for a callback that did not come) woke it.
        // The output when this run stores it: its bytes are in hand, so delivering does not read them back from S3.
        Optional<MediaStore.Stored> kept = Optional.empty();
        if (lease.state() == State.PREDICTING) {
            if (predictions.awaitsCallback(job)) {
                prediction = prediction != null ? prediction : predictions.look(lease.record().predictionId());
                if (!prediction.isTerminal()) {
                    lease.release();
                    return new Waits(timings.callbackCheck(), "awaits its callback");
                }
            } else {
                prediction = predictions.await(job, model, lease, prediction, remainingMillis);
            }
            if (!prediction.succeeded()) {
                Ending ending = endings.of(job, prediction, cancellations.isCanceled(job));
                end(job, lease, ending);
                reports.unsuccessful(job, model, prediction, ending);
                return new Done();
            }
            if (job.isPlanning()) {
                planning.finish(job, lease, prediction);
                reports.succeeded(job, model, prediction);
                return new Done();
            }
            // Store: Replicate deletes outputs after an hour.
            kept = keep(job, prediction);
            if (kept.isEmpty()) {
                end(job, lease, endings.outputGone(job));
                return new Done();
            }
            lease.stored(kept.get().key(), kept.get().contentType());
            reports.succeeded(job, model, prediction);
        }
        // Deliver, and record.
        if (lease.state() == State.STORED) {
            deliver(job, model, lease.record(), kept);
            lease.delivered();
            reports.delivered(job, model, prediction);
        }
        if (lease.state() == State.FANNED_OUT) {
            lease.tellPending();
            lease.delivered();
        }
        if (lease.state() == State.ENDED) {
            lease.finishEnding();
        }
        return new Done();
    }

    /** The output copied to S3; empty when Replicate no longer has it. */
    private Optional<MediaStore.Stored> keep(Job job, Prediction prediction) throws IOException {
        if (prediction.outputUrls().isEmpty()) {
            if (prediction.dataRemoved()) {
                return Optional.empty();
            }
            throw new IOException("prediction " + prediction.id() + " succeeded without an output");
        }
        Download output = replicate.download(prediction.outputUrls().get(0));
        String key = StorageKeys.media(job.userId(), job.jobId(), Delivery.extension(output.contentType()));
        media.put(key, output.bytes(), output.contentType());
        return Optional.of(new MediaStore.Stored(key, output.bytes(), output.contentType()));
    }

    /** @param kept the output when this run stored it: its bytes are in hand, so S3 is not asked for them again */
    private void deliver(Job job, Model model, JobRecord stored, Optional<MediaStore.Stored> kept) throws IOException {
        if (job.albumSize() > 1) {
            albums.add(job, model, stored.mediaKey());
            return;
        }
        MediaStore.Stored result = kept.or(() -> media.find(stored.mediaKey()))
                .orElseThrow(() -> new IOException("the stored output " + stored.mediaKey() + " is gone"));
        delivery.sendResult(job, model, result, buttons(job, model, stored));
    }

    /**
     * The buttons under a result; none under an upscaled picture, which is as far as a picture goes. What they act on
     * is written first to the result's record, the only place the webhook learns it from, so a button works as soon as
     * the user sees it.
     */
    private InlineKeyboardMarkup buttons(Job job, Model model, JobRecord stored) {
        if (model.kind() == ModelKind.UPSCALE) {
            return null;
        }
        DeliveredResult result = new DeliveredResult(job, stored.mediaKey(), stored.mediaType(),
                model.takesSeed() ? ModelInputs.seed(job) : null);
        try {
            media.put(StorageKeys.result(job.userId(), job.jobId()), Json.MAPPER.writeValueAsBytes(result),
                    "application/json");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return ResultButtons.under(job, result.isStillImage() && catalog.animationModel().isPresent(),
                result.isStillImage() && catalog.upscaleModel().isPresent());
    }

    /** {@code /forget}: what the bot keeps about the user is deleted, and the user told so, once. */
    private Outcome forget(Job job, Jobs.Lease lease) throws IOException {
        if (lease.state() == State.CLAIMED) {
            int deleted = eraser.erase(job.userId());
            lease.fannedOut(Texts.forLanguage(job.language()).get("forgotten", deleted));
        }
        lease.tellPending();
        lease.delivered();
        return new Done();
    }

    /** {@code /stats}: what the bot did today, told to the admin once. */
    private Outcome stats(Job job, Jobs.Lease lease) throws IOException {
        if (lease.state() == State.CLAIMED) {
            lease.fannedOut(daily.text(Texts.forLanguage(job.language())));
        }
        lease.tellPending();
        lease.delivered();
        return new Done();
    }

    /** Ends the job without a result, and reports it once recorded. */
    private void end(Job job, Jobs.Lease lease, Ending ending) throws IOException {
        lease.end(ending);
        reports.ended(job, endings.modelKey(job), ending);
    }

    /** A full-size task: a result's stored original as a document, or why it cannot be had any more. */
    private Outcome sendOriginal(Job job, Jobs.Lease lease) throws IOException {
        if (lease.state() == State.ENDED) {
            lease.finishEnding();
            return new Done();
        }
        Optional<MediaStore.Stored> original = media.find(job.mediaKey());
        if (original.isEmpty()) {
            end(job, lease, endings.inputUnavailable(Texts.forLanguage(job.language()).get("result_gone")));
            return new Done();
        }
        delivery.sendOriginal(job, original.get());
        lease.delivered();
        return new Done();
    }
}
