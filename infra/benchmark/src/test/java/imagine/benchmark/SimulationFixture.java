package imagine.benchmark;

/** Round inputs for checking the simulation by hand, the real limits unless a test lifts or changes them. */
final class SimulationFixture {
    static final double L = 5;
    static final double WEBHOOK_WARM = 0.01;
    static final double CREATE_WARM = 0.2;
    static final double FINISH_WARM = 0.15;
    static final double HAND_OVER_WARM = 0.1;
    static final double WEBHOOK_FIRST = 0.2;
    static final double WORKER_FIRST = 0.3;
    static final double CALLBACK_FIRST = 0.4;
    static final double RESTORE = 0.5;
    static final int WEBHOOK_S3 = 3;
    static final int CREATE_S3 = 2;
    static final int FINISH_S3 = 6;
    static final double AWS = 0.02;
    static final double REMOTE = 0.2;
    static final double POLL_INTERVAL = 0.5;

    private SimulationFixture() {
    }

    static SimulationInputs inputs(double modelLatency) {
        return new SimulationInputs(modelLatency, WEBHOOK_WARM, CREATE_WARM, FINISH_WARM, HAND_OVER_WARM,
                WEBHOOK_FIRST, WORKER_FIRST, CALLBACK_FIRST, RESTORE, WEBHOOK_S3, CREATE_S3, FINISH_S3, AWS, REMOTE, 1,
                5, 5, 5, 100, 5, 300, 120, POLL_INTERVAL,
                SimulationInputs.deployed(modelLatency).limits());
    }

    /** Every limit lifted but {@code kept}. */
    static SimulationInputs only(SimulationInputs inputs, Limit... kept) {
        SimulationInputs lifted = inputs;
        for (Limit limit : Limit.values()) {
            if (!java.util.List.of(kept).contains(limit)) {
                lifted = lifted.lifted(limit);
            }
        }
        return lifted;
    }

    /** From Telegram posting the update to the jobs being in the queue, the webhook's environment restored. */
    static double webhookEnd() {
        return REMOTE / 2 + RESTORE + WEBHOOK_FIRST + WEBHOOK_S3 * AWS + AWS;
    }
}
