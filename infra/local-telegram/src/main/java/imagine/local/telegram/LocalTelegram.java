package imagine.local.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for the Telegram Bot API and a browser chat page, on one HTTP server.
 * Besides serving the bot, it lets tests act as users and inspect what the bot did.
 */
public final class LocalTelegram implements AutoCloseable {
    /** The id of the shared group chat the chat page offers. */
    public static final long GROUP_CHAT_ID = -4_000_000_001L;

    private static final Logger LOG = LoggerFactory.getLogger(LocalTelegram.class);

    /**
     * @param port                     0 for an ephemeral port
     * @param dataDirectory            where files and the state of the chats and updates are kept across
     *                                 restarts; null keeps them in memory
     * @param perChatMessagesPerSecond the rate of the per-chat flood limit
     * @param perChatBurst             how many messages a chat may receive at once before the rate applies
     * @param webhookRetry             the first delay before a failed webhook delivery is retried
     */
    public record Options(String host, int port, String botToken, String botUsername, Path dataDirectory,
                          double perChatMessagesPerSecond, int perChatBurst, Duration webhookRetry) {
        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(botToken, "botToken");
            Objects.requireNonNull(botUsername, "botUsername");
            Objects.requireNonNull(webhookRetry, "webhookRetry");
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Defaults: 127.0.0.1, ephemeral port, imagine_local_bot, files in memory, 1 message/s with a burst of 3, 1 s retry. */
        public static final class Builder {
            private String host = "127.0.0.1";
            private int port;
            private String botToken = "1000000001:LOCAL-imagine-bot-token";
            private String botUsername = "imagine_local_bot";
            private Path dataDirectory;
            private double perChatMessagesPerSecond = 1;
            private int perChatBurst = 3;
            private Duration webhookRetry = Duration.ofSeconds(1);

            public Builder host(String host) {
                this.host = host;
                return this;
            }

            public Builder port(int port) {
                this.port = port;
                return this;
            }

            public Builder botToken(String botToken) {
                this.botToken = botToken;
                return this;
            }

            public Builder botUsername(String botUsername) {
                this.botUsername = botUsername;
                return this;
            }

            public Builder dataDirectory(Path dataDirectory) {
                this.dataDirectory = dataDirectory;
                return this;
            }

            public Builder perChatMessagesPerSecond(double perChatMessagesPerSecond) {
                this.perChatMessagesPerSecond = perChatMessagesPerSecond;
                return this;
            }

            public Builder perChatBurst(int perChatBurst) {
                this.perChatBurst = perChatBurst;
                return this;
            }

            public Builder webhookRetry(Duration webhookRetry) {
                this.webhookRetry = webhookRetry;
                return this;
            }

            public Options build() {
                return new Options(host, port, botToken, botUsername, dataDirectory, perChatMessagesPerSecond,
                        perChatBurst, webhookRetry);
            }
        }
    }

    private final Options options;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Chats chats;
    private final Updates updates;
    private final CallLog calls = new CallLog();
    private final UserActions users;
    private final Journal journal;
    private final BotApiEndpoint botApi;

    private LocalTelegram(Options options) throws IOException {
        this.options = options;
        FileStore files = new FileStore(options.dataDirectory());
        this.journal = new Journal(options.dataDirectory());
        ChatEvents events = new ChatEvents();
        this.chats = new Chats(events, files, journal);
        Media media = new Media(files);
        CallbackQueries callbackQueries = new CallbackQueries();
        BotApi[] api = new BotApi[1];
        this.updates = new Updates(options.webhookRetry(), reply -> executeWebhookReply(api[0], reply), journal);
        api[0] = new BotApi(botUser(options), chats, files, media,
                new FloodLimiter(options.perChatMessagesPerSecond(), options.perChatBurst()), updates, callbackQueries, calls);
        this.users = new UserActions(chats, media, updates, callbackQueries, journal);
        journal.restore(List.of(chats, updates, users));
        updates.deliverPending();
        this.botApi = new BotApiEndpoint(options.botToken(), api[0], files);
        ChatPage page = new ChatPage(this, chats, events, files);
        this.executor = Executors.newCachedThreadPool(Updates.daemon("local-telegram-http"));
        this.server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 64);
        server.setExecutor(executor);
        server.createContext("/", exchange -> route(exchange, botApi, page));
        server.start();
    }

    public static LocalTelegram start(Options options) {
        try {
            LocalTelegram telegram = new LocalTelegram(options);
            LOG.info("Local Telegram listening on {}", telegram.baseUrl());
            return telegram;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode botUser(Options options) {
        ObjectNode bot = Json.object();
        String idPart = options.botToken().contains(":") ? options.botToken().substring(0, options.botToken().indexOf(':')) : "";
        bot.put("id", idPart.matches("\\d{1,18}") ? Long.parseLong(idPart) : 1_000_000_001L);
        bot.put("is_bot", true);
        bot.put("first_name", "Imagine");
        bot.put("username", options.botUsername());
        return bot;
    }

    private static void route(HttpExchange exchange, BotApiEndpoint botApi, ChatPage page) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/bot")) {
                botApi.method(exchange, path.substring("/bot".length()));
            } else if (path.startsWith("/file/bot")) {
                botApi.file(exchange, path.substring("/file/bot".length()));
            } else {
                page.handle(exchange, path);
            }
        } catch (RuntimeException e) {
            LOG.warn("Request failed: {}", e.toString());
            throw e;
        }
    }

    private static void executeWebhookReply(BotApi api, ObjectNode reply) {
        String method = reply.remove("method").asText();
        try {
            api.execute(method, Params.of(reply));
        } catch (ApiException e) {
            LOG.info("Method {} from a webhook response failed: {}", method, e.description());
        }
    }

    /** The Bot API base URL (TELEGRAM_API_URL), also the chat page's address; 127.0.0.1 when listening on all. */
    public URI baseUrl() {
        boolean everywhere = server.getAddress().getAddress().isAnyLocalAddress();
        return URI.create("http://" + (everywhere ? "127.0.0.1" : options.host()) + ":" + server.getAddress().getPort());
    }

    public String botToken() {
        return options.botToken();
    }

    /** Serves {@code path} and what lies under it with {@code handler}, beside the chat page (the operations page). */
    public void serve(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    public String botUsername() {
        return options.botUsername();
    }

    // ---- users ----

    /**
     * A user writes in their private chat with the bot (chat id = user id). A text longer than Telegram takes arrives
     * as several messages in a row, as Telegram Desktop sends it; this returns the first.
     */
    public Message userSends(long userId, String firstName, String languageCode, String text) {
        return users.sendText(null, userId, firstName, languageCode, text).get(0);
    }

    public Message userSendsInGroup(long groupChatId, long userId, String firstName, String languageCode, String text) {
        return users.sendText(groupChatId, userId, firstName, languageCode, text).get(0);
    }

    /** The messages a user's text arrives as: one, or several in a row when it is longer than Telegram takes. */
    public List<Message> userSendsText(Long groupChatId, long userId, String firstName, String languageCode,
                                       String text) {
        return users.sendText(groupChatId, userId, firstName, languageCode, text);
    }

    /**
     * A user sends a JPEG or PNG photo (with a caption, or null) in their private chat; a caption longer than Telegram
     * takes is refused with its error, and nothing is sent.
     */
    public Message userSendsPhoto(long userId, String firstName, String languageCode, byte[] jpegOrPng, String caption) {
        return userSendsPhoto(null, userId, firstName, languageCode, jpegOrPng, caption);
    }

    /** @param groupChatId null for the user's private chat */
    public Message userSendsPhoto(Long groupChatId, long userId, String firstName, String languageCode, byte[] jpegOrPng,
                                  String caption) {
        return users.sendPhoto(groupChatId, userId, firstName, languageCode, jpegOrPng, caption);
    }

    /** A user presses an inline keyboard button of a message: a callback_query update. */
    public void userPresses(long userId, long chatId, int messageId, String callbackData) {
        users.press(userId, chatId, messageId, callbackData);
    }

    /** The user taps the button labelled {@code label} under one of the bot's messages. */
    public void userTaps(long userId, BotMessage message, String label) {
        userPresses(userId, message.chatId(), message.messageId(), message.buttonData(label));
    }

    // ---- inspection ----

    public List<BotMessage> botMessages(long chatId) {
        return chats.botMessages(chatId);
    }

    public List<ApiCall> calls() {
        return calls.calls();
    }

    public int tooManyRequestsCount() {
        return calls.tooManyRequests();
    }

    public List<String> chatActions(long chatId) {
        return chats.chatActions(chatId);
    }

    /** The emoji the bot set on each message of a chat, by message id. */
    public Map<Integer, List<String>> reactions(long chatId) {
        return new HashMap<>(chats.reactions(chatId));
    }

    /** Waits for the first bot message in the chat that matches; fails with an AssertionError on timeout. */
    public BotMessage awaitBotMessage(long chatId, Predicate<BotMessage> condition, Duration timeout) {
        return chats.awaitBotMessages(chatId, 1, condition, timeout).get(0);
    }

    /** Waits until {@code count} bot messages of the chat match and returns the first {@code count}. */
    public List<BotMessage> awaitBotMessages(long chatId, int count, Predicate<BotMessage> condition, Duration timeout) {
        return chats.awaitBotMessages(chatId, count, condition, timeout);
    }

    // ---- fault injection ----

    /** The next call of {@code method} answers this error instead of running. */
    public void failNext(String method, int errorCode, String description, Map<String, Object> parameters) {
        calls.failNext(method, CallLog.error(errorCode, description, parameters));
    }

    /**
     * The next call of {@code method} is carried out (the message reaches the chat) but the bot never
     * hears back, as when the bot dies right after sending.
     */
    public void loseNextAnswer(String method) {
        botApi.loseNextAnswer(method);
    }

    /** The user blocks the bot: every call for their private chat answers 403. */
    public void blockBy(long userId) {
        chats.block(userId);
    }

    /** The group becomes a supergroup: calls for the old id answer 400 with migrate_to_chat_id. */
    public void migrate(long groupChatId, long supergroupChatId) {
        chats.migrate(groupChatId, supergroupChatId);
    }

    @Override
    public void close() {
        server.stop(0);
        updates.close();
        executor.shutdownNow();
        journal.close();
    }
}
