package imagine.local.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/** The Bot API methods: validation as Telegram does it, then the change to the chats. */
final class BotApi {
    private static final int CALLBACK_DATA_LIMIT = 64;
    private static final Set<String> CHAT_ACTIONS = Set.of("typing", "upload_photo", "record_video", "upload_video",
            "record_voice", "upload_voice", "upload_document", "choose_sticker", "find_location",
            "record_video_note", "upload_video_note");
    private static final List<String> MEDIA_KINDS = List.of("photo", "video", "animation", "document");

    private final ObjectNode botUser;
    private final Chats chats;
    private final FileStore files;
    private final Media media;
    private final FloodLimiter flood;
    private final Updates updates;
    private final CallbackQueries callbackQueries;
    private final CallLog calls;
    private final Map<String, JsonNode> commands = new ConcurrentHashMap<>();
    private final Map<String, Function<Params, JsonNode>> methods = new HashMap<>();

    BotApi(ObjectNode botUser, Chats chats, FileStore files, Media media, FloodLimiter flood, Updates updates,
           CallbackQueries callbackQueries, CallLog calls) {
        this.botUser = botUser;
        this.chats = chats;
        this.files = files;
        this.media = media;
        this.flood = flood;
        this.updates = updates;
        this.callbackQueries = callbackQueries;
        this.calls = calls;
        register("getMe", p -> getMe());
        register("setWebhook", this::setWebhook);
        register("deleteWebhook", p -> {
            updates.deleteWebhook(p.bool("drop_pending_updates"));
            return BooleanNode.TRUE;
        });
        register("getWebhookInfo", p -> updates.webhookInfo());
        register("getUpdates", this::getUpdates);
        register("setMyCommands", this::setMyCommands);
        register("getMyCommands", p -> commands.getOrDefault(commandsKey(p), Json.array()));
        register("sendMessage", this::sendMessage);
        for (String kind : MEDIA_KINDS) {
            register("send" + Character.toUpperCase(kind.charAt(0)) + kind.substring(1), p -> sendMedia(p, kind));
        }
        register("sendMediaGroup", this::sendMediaGroup);
        register("sendChatAction", this::sendChatAction);
        register("setMessageReaction", this::setMessageReaction);
        register("editMessageText", this::editMessageText);
        register("editMessageCaption", this::editMessageCaption);
        register("editMessageReplyMarkup", this::editMessageReplyMarkup);
        register("deleteMessage", this::deleteMessage);
        register("answerCallbackQuery", this::answerCallbackQuery);
        register("getFile", this::getFile);
    }

    private void register(String method, Function<Params, JsonNode> handler) {
        methods.put(method.toLowerCase(Locale.ROOT), handler);
    }

    /** Runs a method and records the call; Telegram's method names are case-insensitive. */
    JsonNode execute(String method, Params params) {
        Long chatId = chatIdForLog(params);
        try {
            Function<Params, JsonNode> handler = methods.get(method.toLowerCase(Locale.ROOT));
            if (handler == null) {
                throw new ApiException(404, "Not Found", null);
            }
            calls.injectedFailure(method);
            params.onSuccess(() -> calls.record(method, chatId, null));
            JsonNode result = handler.apply(params);
            params.succeeded();
            return result;
        } catch (ApiException e) {
            calls.record(method, chatId, e);
            throw e;
        }
    }

    private static Long chatIdForLog(Params params) {
        try {
            return params.longValue("chat_id");
        } catch (ApiException e) {
            return null;
        }
    }

    private JsonNode getMe() {
        ObjectNode me = botUser.deepCopy();
        me.put("can_join_groups", true);
        me.put("can_read_all_group_messages", false);
        me.put("supports_inline_queries", false);
        me.put("can_connect_to_business", false);
        me.put("has_main_web_app", false);
        return me;
    }

    private JsonNode setWebhook(Params p) {
        String url = p.string("url");
        if (url == null || url.isEmpty()) {
            updates.deleteWebhook(p.bool("drop_pending_updates"));
            return BooleanNode.TRUE;
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw ApiException.badRequest("bad webhook: An HTTPS URL must be provided for webhook");
        }
        String secret = p.string("secret_token");
        if (secret != null && !secret.matches("[A-Za-z0-9_-]{1,256}")) {
            throw ApiException.badRequest("secret token contains unallowed characters");
        }
        updates.setWebhook(new Updates.Webhook(url, secret, allowedUpdates(p)), p.bool("drop_pending_updates"));
        return BooleanNode.TRUE;
    }

    private static Set<String> allowedUpdates(Params p) {
        JsonNode allowed = p.json("allowed_updates");
        Set<String> kinds = new LinkedHashSet<>();
        if (allowed != null && allowed.isArray()) {
            allowed.forEach(kind -> kinds.add(kind.asText()));
        }
        return kinds;
    }

    private JsonNode getUpdates(Params p) {
        Integer limit = p.intValue("limit");
        Integer timeout = p.intValue("timeout");
        return updates.getUpdates(p.longValue("offset"), limit == null ? 100 : limit,
                Duration.ofSeconds(timeout == null ? 0 : Math.max(0, timeout)),
                p.has("allowed_updates") ? allowedUpdates(p) : null);
    }

    private JsonNode setMyCommands(Params p) {
        JsonNode list = p.json("commands");
        if (list == null || !list.isArray()) {
            throw ApiException.badRequest("commands must be an array");
        }
        for (JsonNode command : list) {
            String name = command.path("command").asText();
            if (!name.matches("[a-z0-9_]{1,32}")) {
                throw ApiException.badRequest("BOT_COMMAND_INVALID");
            }
            if (command.path("description").asText().isEmpty()) {
                throw ApiException.badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
            }
        }
        commands.put(commandsKey(p), list);
        return BooleanNode.TRUE;
    }

    private static String commandsKey(Params p) {
        JsonNode scope = p.json("scope");
        String language = p.string("language_code");
        return (scope == null ? "default" : scope.path("type").asText("default")) + "/" + (language == null ? "" : language);
    }

    private JsonNode sendMessage(Params p) {
        long chatId = p.chatId();
        ObjectNode chat = chats.writable(chatId);
        String text = Text.parse(p.string("text"), p.string("parse_mode"));
        if (text.isBlank()) {
            throw ApiException.badRequest("message text is empty");
        }
        if (text.length() > Text.MESSAGE_LIMIT) {
            throw ApiException.badRequest("message is too long");
        }
        flood.acquire(chatId);
        return send(p, chat, message -> message.put("text", text));
    }

    private JsonNode sendMedia(Params p, String kind) {
        long chatId = p.chatId();
        ObjectNode chat = chats.writable(chatId);
        String caption = caption(p.string("caption"), p.string("parse_mode"));
        // Telegram counts a message against the chat's limit as it arrives. Reading and scaling a picture takes
        // this stand-in's time, not the sender's: counted after it, messages that came apart would bunch up.
        flood.acquire(chatId);
        JsonNode file = media.resolve(kind, p.string(kind), p.upload(kind), p);
        return send(p, chat, message -> {
            message.set(kind, file);
            if (kind.equals("animation")) {
                message.set("document", file);
            }
            if (caption != null) {
                message.put("caption", caption);
            }
        });
    }

    private static String caption(String raw, String parseMode) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        String caption = Text.parse(raw, parseMode);
        if (caption.length() > Text.CAPTION_LIMIT) {
            throw ApiException.badRequest("message caption is too long");
        }
        return caption;
    }

    /** Stores a message from the bot, already counted against the chat's flood limit, if the reply target allows. */
    private JsonNode send(Params p, ObjectNode chat, Consumer<ObjectNode> content) {
        long chatId = chat.get("id").asLong();
        return chats.locked(() -> {
            JsonNode replyTo = replyTarget(p, chatId);
            JsonNode markup = inlineKeyboard(p);
            JsonNode stored = chats.append(chatId, true, messageId -> {
                ObjectNode message = newMessage(messageId, chat);
                content.accept(message);
                if (replyTo != null) {
                    message.set("reply_to_message", replyTo);
                }
                if (markup != null) {
                    message.set("reply_markup", markup);
                }
                return message;
            }).json.deepCopy();
            p.succeeded();
            return stored;
        });
    }

    private ObjectNode newMessage(int messageId, ObjectNode chat) {
        ObjectNode message = Json.object();
        message.put("message_id", messageId);
        message.set("from", botUser);
        message.set("chat", chat);
        message.put("date", Instant.now().getEpochSecond());
        return message;
    }

    /** The message replied to (without its own reply), null for none; Telegram's error when it is missing. */
    private JsonNode replyTarget(Params p, long chatId) {
        JsonNode parameters = p.json("reply_parameters");
        Integer messageId;
        boolean allowWithout;
        if (parameters != null) {
            messageId = parameters.hasNonNull("message_id") ? parameters.get("message_id").asInt() : null;
            allowWithout = parameters.path("allow_sending_without_reply").asBoolean(false);
        } else {
            messageId = p.intValue("reply_to_message_id");
            allowWithout = p.bool("allow_sending_without_reply");
        }
        if (messageId == null || messageId == 0) {
            return null;
        }
        StoredMessage target = chats.find(chatId, messageId);
        if (target == null) {
            if (allowWithout) {
                return null;
            }
            throw ApiException.badRequest("message to be replied not found");
        }
        ObjectNode quoted = target.json.deepCopy();
        quoted.remove("reply_to_message");
        return quoted;
    }

    /** The inline keyboard of a send or edit, null for none; Telegram's errors for buttons it refuses. */
    private static JsonNode inlineKeyboard(Params p) {
        JsonNode markup = p.json("reply_markup");
        if (markup == null || !markup.has("inline_keyboard")) {
            return null;
        }
        JsonNode rows = markup.get("inline_keyboard");
        if (!rows.isArray()) {
            throw ApiException.badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array");
        }
        for (JsonNode row : rows) {
            if (!row.isArray()) {
                throw ApiException.badRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays");
            }
            for (JsonNode button : row) {
                if (button.path("text").asText("").isEmpty()) {
                    throw ApiException.badRequest("text buttons are unallowed in the inline keyboard");
                }
                JsonNode data = button.get("callback_data");
                if (data != null && !button.has("url")) {
                    int bytes = data.asText("").getBytes(StandardCharsets.UTF_8).length;
                    if (bytes < 1 || bytes > CALLBACK_DATA_LIMIT) {
                        throw ApiException.badRequest("BUTTON_DATA_INVALID");
                    }
                } else if (!button.has("url")) {
                    throw ApiException.badRequest("text buttons are unallowed in the inline keyboard");
                }
            }
        }
        return markup;
    }

    private JsonNode sendMediaGroup(Params p) {
        long chatId = p.chatId();
        ObjectNode chat = chats.writable(chatId);
        JsonNode items = p.json("media");
        if (items == null || !items.isArray() || items.size() < 2 || items.size() > 10) {
            throw ApiException.badRequest("wrong number of media in the group: must be from 2 to 10");
        }
        record Item(String kind, JsonNode file, String caption) {
        }
        flood.acquire(chatId);
        List<Item> resolved = new ArrayList<>();
        for (JsonNode item : items) {
            String kind = item.path("type").asText();
            if (!List.of("photo", "video", "document").contains(kind)) {
                throw ApiException.badRequest("unsupported media type in the media group: " + kind);
            }
            String reference = item.path("media").asText(null);
            Upload upload = p.attachment(reference);
            resolved.add(new Item(kind, media.resolve(kind, upload == null ? reference : null, upload, null),
                    caption(item.path("caption").asText(null), item.path("parse_mode").asText(null))));
        }
        String groupId = Long.toString(13_000_000_000_000_000L + System.nanoTime() % 1_000_000_000_000L);
        return chats.locked(() -> {
            JsonNode replyTo = replyTarget(p, chatId);
            ArrayNode result = Json.array();
            for (Item item : resolved) {
                result.add(chats.append(chatId, true, messageId -> {
                    ObjectNode message = newMessage(messageId, chat);
                    message.put("media_group_id", groupId);
                    message.set(item.kind(), item.file());
                    if (item.caption() != null) {
                        message.put("caption", item.caption());
                    }
                    if (replyTo != null) {
                        message.set("reply_to_message", replyTo);
                    }
                    return message;
                }).json.deepCopy());
            }
            p.succeeded();
            return result;
        });
    }

    private JsonNode sendChatAction(Params p) {
        long chatId = p.chatId();
        chats.writable(chatId);
        String action = p.string("action");
        if (action == null || !CHAT_ACTIONS.contains(action)) {
            throw ApiException.badRequest("wrong parameter action in request");
        }
        return chats.locked(() -> {
            chats.chatAction(chatId, action);
            p.succeeded();
            return BooleanNode.TRUE;
        });
    }

    private JsonNode setMessageReaction(Params p) {
        long chatId = p.chatId();
        chats.writable(chatId);
        int messageId = requiredMessageId(p);
        JsonNode reaction = p.json("reaction");
        return chats.locked(() -> {
            StoredMessage message = chats.find(chatId, messageId);
            if (message == null) {
                throw ApiException.badRequest("MESSAGE_ID_INVALID");
            }
            message.reactions.clear();
            if (reaction != null && reaction.isArray()) {
                for (JsonNode type : reaction) {
                    if (!type.path("type").asText().equals("emoji")) {
                        throw ApiException.badRequest("REACTION_INVALID");
                    }
                    message.reactions.add(type.path("emoji").asText());
                }
            }
            chats.changed(message);
            p.succeeded();
            return BooleanNode.TRUE;
        });
    }

    private static int requiredMessageId(Params p) {
        Integer messageId = p.intValue("message_id");
        if (messageId == null) {
            throw ApiException.badRequest("message identifier is not specified");
        }
        return messageId;
    }

    private JsonNode editMessageText(Params p) {
        String text = Text.parse(p.string("text"), p.string("parse_mode"));
        if (text.isBlank()) {
            throw ApiException.badRequest("message text is empty");
        }
        if (text.length() > Text.MESSAGE_LIMIT) {
            throw ApiException.badRequest("MESSAGE_TOO_LONG");
        }
        return edit(p, message -> {
            if (!message.has("text")) {
                throw ApiException.badRequest("there is no text in the message to edit");
            }
            message.put("text", text);
        });
    }

    private JsonNode editMessageCaption(Params p) {
        String caption = caption(p.string("caption"), p.string("parse_mode"));
        return edit(p, message -> {
            if (message.has("text")) {
                throw ApiException.badRequest("there is no caption in the message to edit");
            }
            if (caption == null) {
                message.remove("caption");
            } else {
                message.put("caption", caption);
            }
        });
    }

    private JsonNode editMessageReplyMarkup(Params p) {
        return edit(p, message -> { });
    }

    /** Applies an edit of a bot message; reply_markup is replaced by the one given (none removes it). */
    private JsonNode edit(Params p, Consumer<ObjectNode> change) {
        if (p.has("inline_message_id")) {
            throw ApiException.badRequest("MESSAGE_ID_INVALID");
        }
        long chatId = p.chatId();
        chats.writable(chatId);
        int messageId = requiredMessageId(p);
        JsonNode markup = inlineKeyboard(p);
        return chats.locked(() -> {
            StoredMessage message = chats.find(chatId, messageId);
            if (message == null) {
                throw ApiException.badRequest("message to edit not found");
            }
            if (!message.fromBot) {
                throw ApiException.badRequest("message can't be edited");
            }
            ObjectNode edited = message.json.deepCopy();
            change.accept(edited);
            if (markup == null) {
                edited.remove("reply_markup");
            } else {
                edited.set("reply_markup", markup);
            }
            if (edited.equals(message.json)) {
                throw ApiException.badRequest("message is not modified: specified new message content and reply "
                        + "markup are exactly the same as a current content and reply markup of the message");
            }
            edited.put("edit_date", Instant.now().getEpochSecond());
            message.json = edited;
            message.editCount++;
            chats.changed(message);
            p.succeeded();
            return edited.deepCopy();
        });
    }

    private JsonNode deleteMessage(Params p) {
        long chatId = p.chatId();
        chats.writable(chatId);
        int messageId = requiredMessageId(p);
        return chats.locked(() -> {
            StoredMessage message = chats.find(chatId, messageId);
            if (message == null) {
                throw ApiException.badRequest("message to delete not found");
            }
            message.deleted = true;
            chats.changed(message);
            p.succeeded();
            return BooleanNode.TRUE;
        });
    }

    private JsonNode answerCallbackQuery(Params p) {
        String text = p.string("text");
        if (text != null && text.length() > 200) {
            throw ApiException.badRequest("MESSAGE_TOO_LONG");
        }
        long chatId = callbackQueries.answer(p.string("callback_query_id"));
        chats.toast(chatId, text, p.bool("show_alert"));
        return BooleanNode.TRUE;
    }

    private JsonNode getFile(Params p) {
        String fileId = p.string("file_id");
        StoredFile file = fileId == null ? null : files.byId(fileId).orElse(null);
        if (file == null) {
            throw ApiException.badRequest("invalid file_id");
        }
        ObjectNode json = Json.object();
        json.put("file_id", file.fileId());
        json.put("file_unique_id", file.fileUniqueId());
        json.put("file_size", file.fileSize());
        json.put("file_path", file.filePath());
        return json;
    }
}
