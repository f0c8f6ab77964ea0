package imagine.benchmark;

/**
 * The origin document's bot (/work/shared/seed-en.md): one Python process that creates each prediction on
 * Replicate, polls it with replicate-python's client until it is done, downloads the image and sends it. Before
 * its fix the loop drew one image at a time for everyone ({@link Limit#ORIGIN_ONE_AT_A_TIME} is 1); after it,
 * every prompt of every message runs at once (the limit lifted). It is given its best case: a 429 from Replicate or
 * Telegram costs it only the wait for its turn, never a failed image, and its file work in the thread pool takes
 * no time.
 */
final class OriginModel {
    private final SimulationInputs in;
    private final EventLoop loop = new EventLoop();
    private final Deliveries deliveries;
    private final Slots process;
    private final RateLimit creates;
    private final RateLimit otherCalls;
    private final RateLimit telegramBot;
    private final RateLimit[] chats;

    private OriginModel(SimulationInputs in, Load load) {
        this.in = in;
        this.deliveries = new Deliveries(load.images());
        this.process = new Slots(loop, in.limit(Limit.ORIGIN_ONE_AT_A_TIME));
        this.creates = RateLimit.perSecond(in.limit(Limit.REPLICATE_CREATE_RATE), in.remoteBurst());
        this.otherCalls = RateLimit.perSecond(in.limit(Limit.REPLICATE_OTHER_RATE), in.remoteBurst());
        this.telegramBot = RateLimit.perSecond(in.limit(Limit.TELEGRAM_PER_BOT), in.remoteBurst());
        this.chats = new RateLimit[load.users()];
        for (int chat = 0; chat < chats.length; chat++) {
            chats[chat] = Double.isInfinite(in.limit(Limit.TELEGRAM_PER_CHAT)) ? RateLimit.unlimited()
                    : new RateLimit(in.limit(Limit.TELEGRAM_PER_CHAT), 1);
        }
    }

    static Outcome run(SimulationInputs in, Load load) {
        OriginModel model = new OriginModel(in, load);
        model.loop.at(0, () -> {
            int image = 0;
            for (int user = 0; user < load.users(); user++) {
                for (int prompt = 0; prompt < load.prompts(user); prompt++) {
                    int chat = user;
                    int current = image++;
                    boolean first = prompt == 0;
                    model.process.acquire(() -> model.draw(current, chat, first));
                }
            }
        });
        model.loop.run();
        return model.deliveries.outcome();
    }

    private void draw(int image, int chat, boolean firstOfMessage) {
        if (firstOfMessage) {
            // The handler answers the message before it starts drawing.
            deliveries.acknowledge(telegramBot, loop.now());
        }
        loop.at(creates.reserve(loop.now()), () -> {
            double predictedAt = loop.now();
            loop.after(in.remoteCall() + in.originPollInterval(), () -> poll(image, chat, predictedAt));
        });
    }

    /** prediction.wait(): sleep the poll interval, reload, until the prediction is done. */
    private void poll(int image, int chat, double predictedAt) {
        loop.at(otherCalls.reserve(loop.now()), () -> {
            boolean done = loop.now() >= predictedAt + in.modelLatency();
            loop.after(in.remoteCall(), () -> {
                if (done) {
                    loop.after(in.remoteCall(), () -> send(image, chat));
                } else {
                    loop.after(in.originPollInterval(), () -> poll(image, chat, predictedAt));
                }
            });
        });
    }

    private void send(int image, int chat) {
        loop.at(chats[chat].reserve(loop.now()), () ->
                loop.at(telegramBot.reserve(loop.now()) + in.remoteCall(), () -> {
                    deliveries.delivered(image, loop.now());
                    process.release();
                }));
    }
}
