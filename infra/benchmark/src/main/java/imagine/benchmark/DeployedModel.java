package imagine.benchmark;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The deployed system, event by event, for one load sent at once to a fresh deploy (no execution environment
 * yet, so each new one is restored from its SnapStart snapshot). Telegram posts each update through API Gateway
 * to the webhook, which enqueues one SQS message per image; the event source hands the worker batches. In
 * callback mode the worker creates the prediction and its message waits on the queue for a check-up; Replicate
 * posts the finished prediction to the callback function, which hands the job to a worker as a new message, and
 * that worker stores and sends it. In polling mode the worker waits for the prediction and stores and sends it
 * itself.
 *
 * <p>A worker sends as built: it waits in place for the chat's pacer slot (S3ChatPacer) and for the bot's share of
 * Telegram's per-bot rate, so sends never meet a 429 (one that came anyway would be waited out in the job too);
 * the waits hold the worker's batch. Limits that make a caller wait and try again (API Gateway's and Lambda's
 * 429s) are modelled as the caller waiting its turn: a lower bound. Replicate's 429 and the callback's check-up
 * put the job back on the queue as a new message (a wait, which spends no receive): after the check-up's delay, or
 * as Failures.createRateLimited decides: the first 429 after its Retry-After (the whole seconds until its rate has
 * room again, as Replicate's "Expected available in N seconds" says), a later one after at least the worker's
 * backoff by the waits so far, with its jitter (from a fixed seed, so a load always gives the same run); a job that
 * waited maxWaits times ends, and its user is told.
 */
final class DeployedModel {
    enum Mode { CALLBACK, POLLING }

    /**
     * S3ChatPacer.PRIVATE_INTERVAL: the bot spaces sends to a private chat a little wider than Telegram's second. (A
     * wait past S3ChatPacer.MAX_WAIT, 20 s, goes back to the queue instead; the model waits in place.)
     */
    private static final double CHAT_PACER_INTERVAL = 1.1;
    /** JobRunner.CREATE_WAIT_SECONDS: a polling worker's create call holds up to a second for the result. */
    private static final double CREATE_WAIT = 1;
    /** JobRunner.POLL_FIRST_MILLIS and POLL_MAX_MILLIS: the pauses between polls grow by half, 0.5 s to 1 s. */
    private static final double POLL_FIRST = 0.5;
    private static final double POLL_MAX = 1;
    /** template.yaml: ThrottlingBurstLimit 200 at ThrottlingRateLimit 100. */
    private static final double API_BURST_SECONDS = 2;
    /** Lambda's scaling rate: 1,000 environments every 10 s. */
    private static final double SCALING_BURST_SECONDS = 10;
    /** Failures.backoff: the doublings stop after ten, and the jitter adds up to a fifth. */
    private static final int MOST_DOUBLINGS = 10;
    private static final long JITTER_SEED = 1;

    private final SimulationInputs in;
    private final Mode mode;
    private final EventLoop loop = new EventLoop();
    private final Deliveries deliveries;
    private final Slots account;
    private final Slots telegramConnections;
    private final RateLimit telegramRoute;
    private final RateLimit replicateRoute;
    private final RateLimit creates;
    private final RateLimit otherCalls;
    private final RateLimit telegramBot;
    private final RateLimit[] chats;
    private final LambdaFunction webhook;
    private final LambdaFunction worker;
    private final LambdaFunction callback;
    private final EventSource jobs;
    private final Random jitter = new Random(JITTER_SEED);

    private DeployedModel(SimulationInputs in, Mode mode, Load load) {
        this.in = in;
        this.mode = mode;
        this.deliveries = new Deliveries(load.images());
        this.account = new Slots(loop, in.limit(Limit.LAMBDA_ACCOUNT_CONCURRENCY));
        this.telegramConnections = new Slots(loop, in.limit(Limit.TELEGRAM_WEBHOOK_CONNECTIONS));
        this.telegramRoute = RateLimit.perSecond(in.limit(Limit.API_GATEWAY_THROTTLING), API_BURST_SECONDS);
        this.replicateRoute = RateLimit.perSecond(in.limit(Limit.API_GATEWAY_THROTTLING), API_BURST_SECONDS);
        this.creates = RateLimit.perSecond(in.limit(Limit.REPLICATE_CREATE_RATE), in.remoteBurst());
        this.otherCalls = RateLimit.perSecond(in.limit(Limit.REPLICATE_OTHER_RATE), in.remoteBurst());
        this.telegramBot = RateLimit.perSecond(in.limit(Limit.TELEGRAM_PER_BOT), in.remoteBurst());
        this.chats = new RateLimit[load.users()];
        for (int chat = 0; chat < chats.length; chat++) {
            chats[chat] = Double.isInfinite(in.limit(Limit.TELEGRAM_PER_CHAT)) ? RateLimit.unlimited()
                    : new RateLimit(1 / CHAT_PACER_INTERVAL, 1);
        }
        this.webhook = new LambdaFunction(in.webhookWarm(), in.webhookFirstEvent());
        this.worker = new LambdaFunction(in.workerCreateWarm(), in.workerFirstEvent());
        this.callback = new LambdaFunction(in.handOverWarm(), in.callbackFirstEvent());
        this.jobs = new EventSource();
    }

    static Outcome run(SimulationInputs in, Mode mode, Load load) {
        DeployedModel model = new DeployedModel(in, mode, load);
        int image = 0;
        for (int user = 0; user < load.users(); user++) {
            int chat = user;
            int first = image;
            int prompts = load.prompts(user);
            model.loop.at(0, () -> model.update(chat, first, prompts));
            image += prompts;
        }
        model.loop.run();
        return model.deliveries.outcome();
    }

    /** One SQS message: one image of a prompt, waiting to be created or checked up on, or handed over finished. */
    private static final class Job {
        final int image;
        final int chat;
        final boolean handedOver;
        int receives;
        int waits;
        double predictedAt = Double.NaN;
        boolean ended;

        Job(int image, int chat, boolean handedOver) {
            this.image = image;
            this.chat = chat;
            this.handedOver = handedOver;
        }

        boolean predicted() {
            return !Double.isNaN(predictedAt);
        }
    }

    /** Telegram posts the update over one of its webhook connections; API Gateway lets it through in turn. */
    private void update(int chat, int firstImage, int prompts) {
        telegramConnections.acquire(() -> loop.after(in.remoteCall() / 2,
                () -> loop.at(telegramRoute.reserve(loop.now()), () -> webhook.invoke(restored -> loop.after(
                        webhook.work(restored) + in.webhookS3Calls() * in.awsCall() + in.awsCall(),
                        () -> fanOut(chat, firstImage, prompts))))));
    }

    /** The webhook has read the user's settings, counted the quota and sent the jobs: it answers. */
    private void fanOut(int chat, int firstImage, int prompts) {
        for (int i = 0; i < prompts; i++) {
            jobs.send(new Job(firstImage + i, chat, false));
        }
        // The acknowledgement rides in the webhook's response, a message all the same.
        deliveries.acknowledge(telegramBot, loop.now());
        webhook.done();
        loop.after(in.remoteCall() / 2, telegramConnections::release);
    }

    /** A job of a running batch; it ends deleted or handed back to the queue. */
    private record Receipt(Job job, Runnable batchItemDone, EventSource queue) {
        void delete() {
            batchItemDone.run();
        }

        void returnAfter(double delay) {
            queue.returnAfter(job, delay);
            batchItemDone.run();
        }

        /** Back on the queue as a new message, which has no receives yet. */
        void waitAfter(double delay, DeployedModel model) {
            job.waits++;
            if (job.waits > model.in.maxWaits()) {
                model.giveUp(job);
                batchItemDone.run();
                return;
            }
            job.receives = 0;
            returnAfter(delay);
        }
    }

    private void handle(Receipt receipt, boolean restored) {
        if (mode == Mode.CALLBACK) {
            createAwaitingCallback(receipt, restored);
        } else {
            createAndWait(receipt, restored);
        }
    }

    private void createAwaitingCallback(Receipt receipt, boolean restored) {
        Job job = receipt.job();
        if (job.handedOver) {
            loop.after(restored ? in.snapStartRestore() + in.workerFirstEvent() : 0, () -> finishInWorker(receipt));
            return;
        }
        if (job.predicted()) {
            // The check-up: the record says whether a worker delivered it.
            loop.after(worker.work(restored), () -> {
                if (deliveries.ended(job.image)) {
                    receipt.delete();
                } else {
                    receipt.waitAfter(in.callbackCheck(), this);
                }
            });
            return;
        }
        loop.after(worker.work(restored) + in.createS3Calls() * in.awsCall(), () -> {
            boolean created = creates.tryTake(loop.now());
            if (created) {
                job.predictedAt = loop.now();
                loop.after(in.modelLatency() + in.remoteCall(), () -> callbackArrives(job));
            }
            double wait = created ? in.callbackCheck() : refusedByReplicate(job, creates);
            loop.after(in.remoteCall(), () -> receipt.waitAfter(wait, this));
        });
    }

    /** The callback function verifies the callback, reads the job's record and hands the job to a worker. */
    private void callbackArrives(Job job) {
        if (job.ended) {
            return;
        }
        loop.at(replicateRoute.reserve(loop.now()), () -> callback.invoke(restored -> loop.after(
                callback.work(restored) + 2 * in.awsCall(), () -> {
                    Job finished = new Job(job.image, job.chat, true);
                    finished.predictedAt = job.predictedAt;
                    jobs.send(finished);
                    callback.done();
                })));
    }

    private void createAndWait(Receipt receipt, boolean restored) {
        Job job = receipt.job();
        if (job.predicted()) {
            // A resumed job looks at once.
            loop.after(worker.work(restored), () -> poll(receipt, POLL_FIRST));
            return;
        }
        loop.after(worker.work(restored) + in.createS3Calls() * in.awsCall(), () -> {
            if (!creates.tryTake(loop.now())) {
                double wait = refusedByReplicate(job, creates);
                loop.after(in.remoteCall(), () -> receipt.waitAfter(wait, this));
                return;
            }
            job.predictedAt = loop.now();
            boolean doneWithin = in.modelLatency() <= CREATE_WAIT;
            loop.after(Math.min(in.modelLatency(), CREATE_WAIT) + in.remoteCall(), () -> {
                if (doneWithin) {
                    finishInWorker(receipt);
                } else {
                    loop.after(POLL_FIRST, () -> poll(receipt, POLL_FIRST * 1.5));
                }
            });
        });
    }

    /**
     * How long a job Replicate answered with a 429 waits on the queue (Failures.createRateLimited): as long as
     * Replicate asks the first time; from the second on a random time up to a ceiling of firstBackoff doubling per wait
     * up to a minute, never less than asked, so a crowd of refused jobs spreads out instead of coming back together.
     */
    private double refusedByReplicate(Job job, RateLimit limit) {
        double asked = limit.retryAfter(loop.now());
        if (job.waits == 0) {
            return asked;
        }
        double ceiling = Math.min(in.maxRateLimitedWait(),
                in.firstBackoff() * Math.pow(2, Math.min(MOST_DOUBLINGS, job.waits - 1)));
        return Math.max(asked, ceiling * jitter.nextDouble());
    }

    /** One GET of the prediction; {@code nextPause} is the pause before the next one. */
    private void poll(Receipt receipt, double nextPause) {
        Job job = receipt.job();
        if (!otherCalls.tryTake(loop.now())) {
            double wait = refusedByReplicate(job, otherCalls);
            loop.after(in.remoteCall(), () -> receipt.waitAfter(wait, this));
            return;
        }
        boolean done = loop.now() >= job.predictedAt + in.modelLatency();
        loop.after(in.remoteCall(), () -> {
            if (done) {
                finishInWorker(receipt);
            } else {
                loop.after(nextPause, () -> poll(receipt, Math.min(POLL_MAX, nextPause * 1.5)));
            }
        });
    }

    private void finishInWorker(Receipt receipt) {
        loop.after(in.finishWarm() + in.finishS3Calls() * in.awsCall() + in.remoteCall(),
                () -> send(receipt.job(), receipt::delete));
    }

    /** The chat's pacer slot, then the bot's share of Telegram's per-bot rate, then the upload, all in the job. */
    private void send(Job job, Runnable then) {
        loop.at(chats[job.chat].reserve(loop.now()), () ->
                loop.at(telegramBot.reserve(loop.now()) + in.remoteCall(), () -> {
                    deliveries.delivered(job.image, loop.now());
                    then.run();
                }));
    }

    /**
     * A job that waited too often counts as failed (WorkerHandler), one that failed maxReceiveCount times goes to
     * the dead-letter function: either way its user is told which prompt failed.
     */
    private void giveUp(Job job) {
        job.ended = true;
        if (!deliveries.ended(job.image)) {
            loop.at(telegramBot.reserve(loop.now()) + in.remoteCall(), () -> deliveries.failed(job.image, loop.now()));
        }
    }

    /** A function's execution environments: a free one is reused, else a new one is restored from the snapshot. */
    private final class LambdaFunction {
        private final RateLimit scaling = RateLimit.perSecond(in.limit(Limit.LAMBDA_SCALING_RATE),
                SCALING_BURST_SECONDS);
        private final double warm;
        private final double firstEvent;
        private int idle;

        LambdaFunction(double warm, double firstEvent) {
            this.warm = warm;
            this.firstEvent = firstEvent;
        }

        /** Runs {@code body} when the invocation starts, told whether its environment was just restored. */
        void invoke(Consumer<Boolean> body) {
            account.acquire(() -> {
                if (idle > 0) {
                    idle--;
                    body.accept(false);
                } else {
                    loop.at(scaling.reserve(loop.now()), () -> body.accept(true));
                }
            });
        }

        double work(boolean restored) {
            return restored ? in.snapStartRestore() + firstEvent : warm;
        }

        void done() {
            idle++;
            account.release();
        }
    }

    /** The jobs queue and the worker's SQS event source: batches, partial failures, scaling, redrive. */
    private final class EventSource {
        private final Deque<Job> visible = new ArrayDeque<>();
        private final double maximum = in.limit(Limit.WORKER_MAXIMUM_CONCURRENCY);
        private final double growth = in.limit(Limit.SQS_POLLER_SCALING);
        private double firstMessageAt = Double.NaN;
        private int running;
        private boolean dispatchSet;
        private boolean wakeUpSet;

        /** Messages sent at the same moment are received together. */
        void send(Job job) {
            visible.add(job);
            if (Double.isNaN(firstMessageAt)) {
                firstMessageAt = loop.now();
            }
            if (!dispatchSet) {
                dispatchSet = true;
                loop.at(loop.now(), () -> {
                    dispatchSet = false;
                    dispatch();
                });
            }
        }

        void returnAfter(Job job, double delay) {
            loop.after(delay, () -> send(job));
        }

        /** Batches the event source may run now: five at first, then more each second up to the maximum. */
        private double allowed() {
            if (Double.isInfinite(growth)) {
                return maximum;
            }
            return Math.min(maximum, in.pollersAtStart() + growth * (loop.now() - firstMessageAt));
        }

        private void dispatch() {
            while (!visible.isEmpty() && running < allowed()) {
                List<Job> batch = receive();
                if (!batch.isEmpty()) {
                    running++;
                    loop.after(in.awsCall(), () -> worker.invoke(restored -> run(batch, restored)));
                }
            }
            if (!visible.isEmpty() && running < maximum && !wakeUpSet) {
                wakeUpSet = true;
                double grown = firstMessageAt + (running + 1 - in.pollersAtStart()) / growth;
                loop.at(Math.max(loop.now(), grown) + 1e-9, () -> {
                    wakeUpSet = false;
                    dispatch();
                });
            }
        }

        private List<Job> receive() {
            List<Job> batch = new ArrayList<>();
            while (batch.size() < in.batchSize() && !visible.isEmpty()) {
                Job job = visible.poll();
                job.receives++;
                if (job.receives > in.maxReceiveCount()) {
                    giveUp(job);
                } else {
                    batch.add(job);
                }
            }
            return batch;
        }

        private void run(List<Job> batch, boolean restored) {
            int[] left = {batch.size()};
            Runnable itemDone = () -> {
                if (--left[0] == 0) {
                    worker.done();
                    running--;
                    dispatch();
                }
            };
            for (Job job : batch) {
                handle(new Receipt(job, itemDone, this), restored);
            }
        }
    }
}
