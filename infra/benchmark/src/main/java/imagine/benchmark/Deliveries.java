package imagine.benchmark;

import java.util.Arrays;

/** How each image of a simulated run ended: in its chat, or with its user told it failed. The first end counts. */
final class Deliveries {
    private final double[] endedAt;
    private final boolean[] delivered;
    private int acknowledgementsDropped;

    Deliveries(int images) {
        endedAt = new double[images];
        Arrays.fill(endedAt, Double.NaN);
        delivered = new boolean[images];
    }

    boolean ended(int image) {
        return !Double.isNaN(endedAt[image]);
    }

    void delivered(int image, double at) {
        if (!ended(image)) {
            endedAt[image] = at;
            delivered[image] = true;
        }
    }

    void failed(int image, double at) {
        if (!ended(image)) {
            endedAt[image] = at;
        }
    }

    /** Sends the answer to a message if Telegram's per-bot rate has room for it now; nobody retries it. */
    void acknowledge(RateLimit telegramBot, double now) {
        if (!telegramBot.tryTake(now)) {
            acknowledgementsDropped++;
        }
    }

    Outcome outcome() {
        int count = 0;
        double first = Double.NaN;
        double last = 0;
        for (int image = 0; image < endedAt.length; image++) {
            if (!ended(image)) {
                throw new IllegalStateException("image " + image + " neither arrived nor failed");
            }
            last = Math.max(last, endedAt[image]);
            if (delivered[image]) {
                count++;
                first = Double.isNaN(first) ? endedAt[image] : Math.min(first, endedAt[image]);
            }
        }
        return new Outcome(endedAt.length, count, endedAt.length - count, first, last, acknowledgementsDropped);
    }
}
