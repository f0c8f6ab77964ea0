package imagine.benchmark;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Section 5: the deployed system and the origin document's design projected to 10 to 10,000 images sent at once,
 * by discrete-event simulation ({@link DeployedModel}, {@link OriginModel}). At each size the limit that binds is
 * the one whose lifting alone helps the users most (more images delivered, then a shorter makespan); none binds
 * when no lifting shortens the makespan by a twentieth.
 */
final class Simulation {
    static final int[] SIZES = {10, 100, 1_000, 10_000};
    static final int[] PROMPTS_PER_MESSAGE = {1, 4};
    private static final double NOTICEABLE = 0.05;
    /** template.yaml: WorkerMaximumConcurrency's MinValue. */
    private static final int FEWEST_WORKERS = 2;

    private static final Set<Limit> BOT_LIMITS = EnumSet.of(Limit.LAMBDA_ACCOUNT_CONCURRENCY,
            Limit.LAMBDA_SCALING_RATE, Limit.WORKER_MAXIMUM_CONCURRENCY, Limit.SQS_POLLER_SCALING,
            Limit.API_GATEWAY_THROTTLING, Limit.TELEGRAM_WEBHOOK_CONNECTIONS, Limit.REPLICATE_CREATE_RATE,
            Limit.TELEGRAM_PER_BOT, Limit.TELEGRAM_PER_CHAT);
    private static final Set<Limit> ORIGIN_LIMITS = EnumSet.of(Limit.REPLICATE_CREATE_RATE,
            Limit.REPLICATE_OTHER_RATE, Limit.TELEGRAM_PER_BOT, Limit.TELEGRAM_PER_CHAT);

    enum Design {
        CALLBACK("bot, callback mode (as built, with PublicUrl)", BOT_LIMITS),
        CALLBACK_FEWEST_WORKERS("bot, callback mode, WorkerMaximumConcurrency " + FEWEST_WORKERS
                + " (the template's minimum)", without(BOT_LIMITS, Limit.WORKER_MAXIMUM_CONCURRENCY)),
        POLLING("bot, polling mode (without PublicUrl)", with(BOT_LIMITS, Limit.REPLICATE_OTHER_RATE)),
        ORIGIN_ONE_AT_A_TIME("origin document before its fix: one process, one image at a time",
                with(ORIGIN_LIMITS, Limit.ORIGIN_ONE_AT_A_TIME)),
        ORIGIN_GATHERED("origin document after its fix: one process, every prompt at once", ORIGIN_LIMITS);

        private final String label;
        private final Set<Limit> limits;

        Design(String label, Set<Limit> limits) {
            this.label = label;
            this.limits = limits;
        }

        String label() {
            return label;
        }

        /** The limits this design meets, the ones worth lifting. */
        Set<Limit> limits() {
            return limits;
        }

        Outcome run(SimulationInputs inputs, Load load) {
            return switch (this) {
                case CALLBACK -> DeployedModel.run(inputs, DeployedModel.Mode.CALLBACK, load);
                case CALLBACK_FEWEST_WORKERS -> DeployedModel.run(
                        inputs.with(Limit.WORKER_MAXIMUM_CONCURRENCY, FEWEST_WORKERS), DeployedModel.Mode.CALLBACK,
                        load);
                case POLLING -> DeployedModel.run(inputs, DeployedModel.Mode.POLLING, load);
                case ORIGIN_ONE_AT_A_TIME -> OriginModel.run(inputs, load);
                case ORIGIN_GATHERED -> OriginModel.run(inputs.lifted(Limit.ORIGIN_ONE_AT_A_TIME), load);
            };
        }

        private static Set<Limit> with(Set<Limit> limits, Limit more) {
            Set<Limit> all = EnumSet.copyOf(limits);
            all.add(more);
            return all;
        }

        private static Set<Limit> without(Set<Limit> limits, Limit less) {
            Set<Limit> rest = EnumSet.copyOf(limits);
            rest.remove(less);
            return rest;
        }
    }

    /** A limit that binds, and what the load came to without it. */
    record Binding(Limit limit, Outcome lifted) {
    }

    record Projection(Outcome outcome, Optional<Binding> binding) {
    }

    private Simulation() {
    }

    static Projection project(SimulationInputs inputs, Design design, Load load) {
        Outcome outcome = design.run(inputs, load);
        Binding best = null;
        for (Limit limit : design.limits()) {
            Outcome lifted = design.run(inputs.lifted(limit), load);
            if (best == null || lifted.betterThan(best.lifted())) {
                best = new Binding(limit, lifted);
            }
        }
        boolean helps = best != null && (best.lifted().delivered() > outcome.delivered()
                || best.lifted().makespan() < outcome.makespan() * (1 - NOTICEABLE));
        return new Projection(outcome, helps ? Optional.of(best) : Optional.empty());
    }

    static List<Row> rows(SimulationInputs inputs) {
        return rows(inputs, SIZES);
    }

    static List<Row> rows(SimulationInputs inputs, int... sizes) {
        String section = String.format(Locale.ROOT, "5. simulation (a projection, not a measurement), L = %s",
                seconds(inputs.modelLatency()));
        record Case(Load load, Design design) {
        }
        List<Case> cases = new ArrayList<>();
        for (int size : sizes) {
            for (int prompts : PROMPTS_PER_MESSAGE) {
                for (Design design : Design.values()) {
                    cases.add(new Case(new Load(size, prompts), design));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        rows.add(Row.of(section, "inputs (sources in README, Benchmarks: Simulation)", describe(inputs)));
        // Each run has its own clock and state: the cases run side by side, the rows keep their order.
        rows.addAll(cases.parallelStream()
                .map(c -> Row.of(section, c.load().describe() + ": " + c.design().label(),
                        describe(project(inputs, c.design(), c.load()), inputs.modelLatency())))
                .toList());
        return rows;
    }

    private static String describe(Projection projection, double modelLatency) {
        Outcome outcome = projection.outcome();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "makespan %s = %.1f × L, first image %s; %,d/%,d delivered", seconds(outcome.makespan()),
                outcome.makespan() / modelLatency, seconds(outcome.firstImage()), outcome.delivered(),
                outcome.images()));
        if (outcome.failed() > 0) {
            text.append(String.format(Locale.ROOT, ", %,d failed (their users told)", outcome.failed()));
        }
        if (outcome.acknowledgementsDropped() > 0) {
            text.append(String.format(Locale.ROOT, ", %,d \"Got it\" answers dropped over Telegram's per-bot rate",
                    outcome.acknowledgementsDropped()));
        }
        text.append(projection.binding().map(binding -> String.format(Locale.ROOT,
                "; binds: %s (moved by: %s; without it: %,d/%,d delivered, makespan %s)", binding.limit().label(),
                binding.limit().setting(), binding.lifted().delivered(), binding.lifted().images(),
                seconds(binding.lifted().makespan())))
                .orElse("; binds: none (L and the stages' own durations set the pace)"));
        return text.toString();
    }

    private static String describe(SimulationInputs in) {
        String limits = in.limits().entrySet().stream()
                .map(entry -> entry.getKey().describe(entry.getValue()))
                .collect(Collectors.joining("; "));
        return String.format(Locale.ROOT, "warm webhook %s, worker create %s, worker store and send %s, callback "
                        + "hand-over %s; first event after restore webhook %s, worker %s, callback %s; SnapStart "
                        + "restore %s; S3 calls webhook %d, create %d, finish %d, %s each; Replicate or Telegram "
                        + "call %s, bursts of %s of their rates; batch %d, %d receives, %d waits, a job refused "
                        + "again by Replicate waits at random up to %s doubling to %s; check-up after %s; %s",
                seconds(in.webhookWarm()), seconds(in.workerCreateWarm()), seconds(in.finishWarm()),
                seconds(in.handOverWarm()), seconds(in.webhookFirstEvent()), seconds(in.workerFirstEvent()),
                seconds(in.callbackFirstEvent()), seconds(in.snapStartRestore()), in.webhookS3Calls(),
                in.createS3Calls(), in.finishS3Calls(), seconds(in.awsCall()), seconds(in.remoteCall()),
                seconds(in.remoteBurst()), in.batchSize(), in.maxReceiveCount(), in.maxWaits(),
                seconds(in.firstBackoff()), seconds(in.maxRateLimitedWait()), seconds(in.callbackCheck()), limits);
    }

    static String seconds(double seconds) {
        if (Double.isNaN(seconds)) {
            return "none";
        }
        if (seconds < 1) {
            return String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
        }
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
