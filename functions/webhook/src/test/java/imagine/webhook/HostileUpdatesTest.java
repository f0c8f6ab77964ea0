package imagine.webhook;

import static com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayHttpEvent;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import imagine.core.BlockedTerms;
import imagine.core.Catalog;
import imagine.core.DeliveredResult;
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.StorageKeys;
import imagine.core.testing.LocalBucket;
import imagine.core.testing.TestContext;
import imagine.core.usage.Units;
import imagine.core.usage.UsageLedger;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Thousands of real updates, generated and mutated, thrown at the webhook. Whatever arrives, it
 * answers 200 or 401, never leaks an exception into a reply, and enqueues only bounded, sane jobs;
 * forged button data reaches nothing in S3 but the tapper's own state.
 */
class HostileUpdatesTest {
    private static final Catalog CATALOG = Catalog.load();
    private static final List<String> SEED_EVENTS = List.of("telegram-private-text.json", "telegram-several-lines.json",
            "telegram-start-ru.json", "telegram-group-command.json", "telegram-group-other-bot.json",
            "telegram-edited-message.json", "telegram-callback-query.json", "telegram-member-update.json",
            "telegram-photo-caption.json", "telegram-wrong-secret.json", "telegram-document-image.json",
            "telegram-video-caption.json");
    private static final List<String> LEAK_MARKERS = List.of("Exception", "Error", "\tat ", "java.", "jackson",
            "imagine.webhook", "imagine.core", "Caused by");
    private static final int TELEGRAM_MAX_TEXT_LENGTH = 4096;
    private static final int MAX_JOBS_PER_UPDATE = WebhookSettings.MAX_PROMPTS_PER_MESSAGE * PromptLine.MAX_IMAGES_PER_PROMPT;
    private static final AtomicLong TAPS = new AtomicLong(900_000);
    private static LocalBucket sharedBucket;

    @Property(tries = 1500)
    void mutatedRealUpdatesAreAnsweredSafely(@ForAll("seedEvents") String seed, @ForAll("mutations") UnaryOperator<String> mutation,
            @ForAll boolean base64) {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent(seed);
        setBody(event, mutation.apply(event.getBody()), base64);

        assertAnsweredSafely(event);
    }

    @Property(tries = 1000)
    void anyTextInAPrivateMessageIsAnsweredSafely(@ForAll("hostileTexts") String text, @ForAll("imagesPerPrompt") int images) {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        setBody(event, withField(event.getBody(), "/message", "text", JsonNodeFactory.instance.textNode(text)), false);

        assertAnsweredSafely(event, images);
    }

    @Property(tries = 500)
    void anyFirstNameInAStartCommandIsAnsweredSafely(@ForAll("hostileTexts") String name) {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-start-ru.json");
        setBody(event, withField(event.getBody(), "/message/from", "first_name", JsonNodeFactory.instance.textNode(name)),
                false);

        assertAnsweredSafely(event);
    }

    @Property(tries = 500)
    void anySecretHeaderButTheRightOneIsRefused(@ForAll("hostileTexts") String presented) {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-private-text.json");
        event.getHeaders().put(WebhookHandler.SECRET_HEADER, presented);
        List<Job> enqueued = new CopyOnWriteArrayList<>();

        APIGatewayV2HTTPResponse response = handler(1, enqueued).answer(event, new TestContext());

        assertThat(response.getStatusCode()).isEqualTo(presented.equals("local-webhook-secret") ? 200 : 401);
        if (response.getStatusCode() == 401) {
            assertThat(enqueued).isEmpty();
        }
    }

    /**
     * Any callback data, most of it shaped like the bot's own with forged parts, tapped by Alice against the users'
     * state and result records in a real S3-compatible store (where Alice and Bob each have a result): the tap is
     * answered with a toast, only Alice's own state changes, and only a button the bot really makes for Alice's
     * result enqueues a job.
     */
    @Property(tries = 300)
    void anyCallbackDataIsAnsweredWithAToastAndReachesOnlyTheTappersOwnState(@ForAll("callbackData") String data)
            throws Exception {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent("telegram-callback-query.json");
        ObjectNode update = (ObjectNode) Json.MAPPER.readTree(event.getBody());
        update.put("update_id", TAPS.incrementAndGet());
        ((ObjectNode) update.get("callback_query")).put("data", data);
        event.setBody(Json.MAPPER.writeValueAsString(update));
        List<Job> enqueued = new CopyOnWriteArrayList<>();

        APIGatewayV2HTTPResponse response = stateInS3(enqueued).answer(event, new TestContext());

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode toast = readTree(response.getBody());
        assertThat(toast.path("method").asText()).isEqualTo("answerCallbackQuery");
        assertThat(toast.path("text").asText()).isNotEmpty().hasSizeLessThanOrEqualTo(AnswerCallbackQuery.MAX_TEXT_LENGTH);
        assertThat(enqueued).allSatisfy(job -> {
            assertThat(List.of("1001:ag:500001-0-0", "1001:an:500001-0-0", "1001:fs:500001-0-0")).contains(data);
            assertThat(job.userId()).isEqualTo(1001);
        });
        assertThat(sharedBucket.client().listObjectsV2Paginator(b -> b.bucket(LocalBucket.NAME)).contents())
                .extracting(S3Object::key).allSatisfy(key -> assertThat(key)
                        .matches("results/100[13]/50000[12]-0-0\\.json|users/1001\\.json|usage/1001/[0-9-]+\\.json"));
    }

    @BeforeContainer
    static void startTheBucket() throws Exception {
        sharedBucket = new LocalBucket();
        for (long owner : List.of(1001L, 1003L)) {
            String jobId = owner == 1001 ? "500001-0-0" : "500002-0-0";
            Job job = Job.builder().jobId(jobId).replyingTo(owner, 10).user(owner, "en").prompt("a fox")
                    .model("seedream").aspectRatio("16:9").build();
            sharedBucket.client().putObject(b -> b.bucket(LocalBucket.NAME).key(StorageKeys.result(owner, jobId)),
                    RequestBody.fromBytes(Json.MAPPER.writeValueAsBytes(
                            new DeliveredResult(job, StorageKeys.media(owner, jobId, ".png"), "image/png", null))));
        }
    }

    @AfterContainer
    static void stopTheBucket() {
        sharedBucket.close();
    }

    private static WebhookHandler stateInS3(List<Job> enqueued) {
        WebhookSettings settings = new WebhookSettings("local-webhook-secret", "imagine_local_bot", "ideogram", 1,
                Set.of(), Set.of(), BlockedTerms.NONE, Units.NONE);
        UsageLedger ledger = new UsageLedger(sharedBucket.client(), LocalBucket.NAME, Clock.systemUTC());
        return new WebhookHandler(new WebhookComponents(settings, CATALOG, enqueued::addAll,
                new S3UserState(sharedBucket.client(), LocalBucket.NAME, ledger), edit -> { },
                ResultLookup.s3(sharedBucket.client(), LocalBucket.NAME)));
    }

    /** The bot's {@code owner:action:value}, with each part now and then forged, or anything at all. */
    @Provide
    Arbitrary<String> callbackData() {
        Arbitrary<String> owners = Arbitraries.oneOf(List.of(Arbitraries.of("1001", "1003", "0", "-1001", "+1001",
                "01001", "１００１", "", "99999999999999999999", "9223372036854775808", "1001 "),
                Arbitraries.longs().map(String::valueOf)));
        Arbitrary<String> actions = Arbitraries.oneOf(List.of(Arbitraries.of("ag", "fs", "an", "m", "ar", "n", "o",
                "al", "fg", "", "AG", "again", "../ag"), Arbitraries.strings().ofMaxLength(4)));
        Arbitrary<String> values = Arbitraries.oneOf(List.of(
                Arbitraries.of("500001-0-0", "500002-0-0", "500001-0-0-fs", "../x", "../../users/1003",
                        "500001-0-0/../../../users/1003", "..%2F..%2Fx", "500001-0-0\u0000", "16:9", "21:9", "1:1:1",
                        "seedream", "SEEDREAM", "dalle", "1", "4", "5", "photo", "file", "on", "off", "no", "maybe", ""),
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings().withChars("0123456789-abz./:%").ofMaxLength(60),
                Combinators.combine(Arbitraries.of("9", "x", "../", "ы", "🦊"), Arbitraries.integers().between(30, 70_000))
                        .as(String::repeat)));
        Arbitrary<String> shaped = Combinators.combine(owners, actions, values).as((o, a, v) -> o + ":" + a + ":" + v);
        return Arbitraries.oneOf(List.of(shaped, shaped, shaped, Arbitraries.strings().all().ofMaxLength(100)));
    }

    @Provide
    Arbitrary<String> seedEvents() {
        return Arbitraries.of(SEED_EVENTS);
    }

    @Provide
    Arbitrary<Integer> imagesPerPrompt() {
        return Arbitraries.integers().between(1, PromptLine.MAX_IMAGES_PER_PROMPT);
    }

    /** One or a few mutations applied in turn to the body of a real update. */
    @Provide
    Arbitrary<UnaryOperator<String>> mutations() {
        Arbitrary<UnaryOperator<String>> one = Arbitraries.oneOf(List.of(
                truncations(), byteFlips(), typeReplacements(), unknownFields(), deepNesting(), hostileTextFields()));
        return one.list().ofMinSize(1).ofMaxSize(3).map(list -> body -> {
            String mutated = body;
            for (UnaryOperator<String> mutation : list) {
                mutated = mutation.apply(mutated);
            }
            return mutated;
        });
    }

    @Provide
    Arbitrary<String> hostileTexts() {
        Arbitrary<String> controlCharacters = Arbitraries.strings().withCharRange('\u0000', '\u001f')
                .withChars('\u007f', '\u0085', '\u2028', '\u2029', '\ufeff', '\u200b').ofMaxLength(50);
        Arbitrary<String> rightToLeft = Arbitraries.of("مرحبا بالعالم", "שלום עולם", "\u202eevil\u202c", "\u200fأ\u200e b");
        Arbitrary<String> emoji = Arbitraries.of("🦊", "👨‍👩‍👧‍👦", "🏳️‍🌈", "\ud83d", "\ude00", "🇺🇦🇷🇺");
        Arbitrary<String> cyrillic = Arbitraries.strings().withCharRange('а', 'я').withChars(' ', '\n')
                .ofMinLength(1).ofMaxLength(4096);
        Arbitrary<String> options = Arbitraries.of("--model", "--ar", "--n", "--", "---", "--MODEL", "--style", "seedream",
                "imagen", "16:9", "21:9", "0", "4", "5", "-1", "99999999999", "/imagine", "/imagine@imagine_local_bot",
                "/start", "/help", "/x@other_bot", "@");
        Arbitrary<String> words = Arbitraries.oneOf(List.of(controlCharacters, rightToLeft, emoji, options,
                Arbitraries.strings().ofMaxLength(30), Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)));
        Arbitrary<String> sentence = words.list().ofMaxSize(40).map(list -> String.join(" ", list));
        Arbitrary<String> manyLines = sentence.list().ofMaxSize(30).map(list -> String.join("\n", list));
        Arbitrary<String> huge = Combinators.combine(Arbitraries.of("x", "ы", "🦊", "--n ", "a\n"),
                Arbitraries.integers().between(1000, 20_000)).as(String::repeat);
        return Arbitraries.oneOf(List.of(sentence, manyLines, cyrillic, huge, Arbitraries.strings().all().ofMaxLength(200)));
    }

    private Arbitrary<UnaryOperator<String>> truncations() {
        return Arbitraries.doubles().between(0, 1).map(fraction -> body -> body.substring(0, (int) (body.length() * fraction)));
    }

    private Arbitrary<UnaryOperator<String>> byteFlips() {
        return Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 255))
                .as((where, mask) -> body -> {
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    if (bytes.length > 0) {
                        bytes[(int) (where * (bytes.length - 1))] ^= mask.byteValue();
                    }
                    return new String(bytes, StandardCharsets.UTF_8);
                });
    }

    private Arbitrary<UnaryOperator<String>> typeReplacements() {
        return Combinators.combine(Arbitraries.doubles().between(0, 1), jsonValues())
                .as((where, value) -> body -> onTree(body, tree -> {
                    List<Tuple.Tuple2<JsonNode, String>> slots = new ArrayList<>();
                    collectSlots(tree, slots);
                    if (slots.isEmpty()) {
                        return value;
                    }
                    Tuple.Tuple2<JsonNode, String> slot = slots.get((int) (where * (slots.size() - 1)));
                    if (slot.get1() instanceof ObjectNode object) {
                        object.set(slot.get2(), value);
                    } else {
                        ((ArrayNode) slot.get1()).set(Integer.parseInt(slot.get2()), value);
                    }
                    return tree;
                }));
    }

    private Arbitrary<UnaryOperator<String>> unknownFields() {
        return Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.strings().ofMaxLength(20), jsonValues())
                .as((where, name, value) -> body -> onTree(body, tree -> {
                    List<ObjectNode> objects = new ArrayList<>();
                    collectObjects(tree, objects);
                    if (!objects.isEmpty()) {
                        objects.get((int) (where * (objects.size() - 1))).set(name, value);
                    }
                    return tree;
                }));
    }

    private Arbitrary<UnaryOperator<String>> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(1, 5000), Arbitraries.of("[", "{\"a\":"),
                        Arbitraries.of("/message/text", "/message", "/message/chat/id", "/update_id", ""))
                .as((depth, open, path) -> body -> onTree(body, tree -> {
                    String close = open.equals("[") ? "]" : "}";
                    JsonNode target = tree.at(path);
                    String nested = open.repeat(depth) + (target.isMissingNode() ? "1" : target.toString()) + close.repeat(depth);
                    return replaceAt(tree, path, new RawJson(nested));
                }));
    }

    private Arbitrary<UnaryOperator<String>> hostileTextFields() {
        return Combinators.combine(hostileTexts(), Arbitraries.of("/message/text", "/message/from/first_name",
                        "/message/from/language_code", "/message/chat/type", "/message/from/username"))
                .as((text, path) -> body -> onTree(body, tree -> replaceAt(tree, path, JsonNodeFactory.instance.textNode(text))));
    }

    private Arbitrary<JsonNode> jsonValues() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return Arbitraries.oneOf(List.of(
                Arbitraries.just(nodes.nullNode()),
                Arbitraries.of(nodes.booleanNode(true), nodes.booleanNode(false)),
                Arbitraries.longs().map(nodes::numberNode),
                Arbitraries.doubles().map(nodes::numberNode),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                        .map(nodes::numberNode),
                Arbitraries.strings().ofMaxLength(40).map(nodes::textNode),
                Arbitraries.just(nodes.arrayNode().add(1).add("two")),
                Arbitraries.just(nodes.objectNode().put("id", "x"))));
    }

    private static void assertAnsweredSafely(APIGatewayV2HTTPEvent event) {
        assertAnsweredSafely(event, 1);
    }

    private static void assertAnsweredSafely(APIGatewayV2HTTPEvent event, int imagesPerPrompt) {
        List<Job> enqueued = new CopyOnWriteArrayList<>();
        APIGatewayV2HTTPResponse response = handler(imagesPerPrompt, enqueued).answer(event, new TestContext());

        assertThat(response.getStatusCode()).isIn(200, 401);
        if (response.getStatusCode() == 401) {
            assertThat(enqueued).isEmpty();
        } else if (!response.getBody().isEmpty()) {
            assertIsASafeSendMessage(response.getBody(), requestText(event));
        }
        assertThat(enqueued).hasSizeLessThanOrEqualTo(MAX_JOBS_PER_UPDATE);
        assertThat(enqueued).allSatisfy(job -> assertThat(job.prompt()).isNotBlank()
                .hasSizeLessThanOrEqualTo(WebhookSettings.MAX_PROMPT_LENGTH));
    }

    private static void assertIsASafeSendMessage(String body, String request) {
        JsonNode reply = readTree(body);
        assertThat(reply.path("method").asText()).isIn("sendMessage", "answerCallbackQuery");
        String text = reply.path("text").asText();
        assertThat(text).isNotEmpty().hasSizeLessThanOrEqualTo(reply.path("method").asText().equals("sendMessage")
                ? TELEGRAM_MAX_TEXT_LENGTH : AnswerCallbackQuery.MAX_TEXT_LENGTH);
        // A marker the sender wrote may come back quoted; one that only the code could have produced must not.
        LEAK_MARKERS.stream().filter(marker -> !request.contains(marker))
                .forEach(marker -> assertThat(text).as("reply leaks an exception").doesNotContain(marker));
    }

    private static WebhookHandler handler(int imagesPerPrompt, List<Job> enqueued) {
        WebhookSettings settings = new WebhookSettings("local-webhook-secret", "imagine_local_bot", "ideogram",
                imagesPerPrompt, Set.of(), Set.of(), BlockedTerms.NONE, Units.NONE);
        return new WebhookHandler(new WebhookComponents(settings, CATALOG, enqueued::addAll, new UnlimitedUserState(), edit -> { }, ResultLookup.NONE));
    }

    private static String requestText(APIGatewayV2HTTPEvent event) {
        return event.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8)
                : event.getBody();
    }

    private static void setBody(APIGatewayV2HTTPEvent event, String body, boolean base64) {
        event.setBody(base64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
        event.setIsBase64Encoded(base64);
    }

    private static String withField(String body, String objectPath, String field, JsonNode value) {
        return onTree(body, tree -> {
            ((ObjectNode) tree.at(objectPath)).set(field, value);
            return tree;
        });
    }

    /** Applies a change to the body's JSON tree; a body that is no longer JSON is left as it is. */
    private static String onTree(String body, UnaryOperator<JsonNode> change) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(body);
        } catch (Exception notJson) {
            return body;
        }
        if (tree == null) {
            return body;
        }
        JsonNode changed = change.apply(tree);
        return changed instanceof RawJson raw ? raw.json : changed.toString();
    }

    private static JsonNode replaceAt(JsonNode tree, String path, JsonNode value) {
        if (path.isEmpty()) {
            return value;
        }
        int slash = path.lastIndexOf('/');
        JsonNode parent = tree.at(path.substring(0, slash));
        if (!(parent instanceof ObjectNode object)) {
            return tree;
        }
        if (value instanceof RawJson raw) {
            // Too deep for Jackson's own writer: splice the nested text in where the field's value goes.
            String marker = "\"\u0001nested\u0001\"";
            object.put(path.substring(slash + 1), "\u0001nested\u0001");
            return new RawJson(tree.toString().replace(marker, raw.json));
        }
        object.set(path.substring(slash + 1), value);
        return tree;
    }

    private static void collectSlots(JsonNode node, List<Tuple.Tuple2<JsonNode, String>> slots) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(name -> {
                slots.add(Tuple.of(object, name));
                collectSlots(object.get(name), slots);
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(Tuple.of(array, Integer.toString(i)));
                collectSlots(array.get(i), slots);
            }
        }
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> objects) {
        if (node instanceof ObjectNode object) {
            objects.add(object);
        }
        node.elements().forEachRemaining(child -> collectObjects(child, objects));
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("reply is not JSON: " + json, e);
        }
    }

    /** JSON text too deeply nested to build as a tree, carried through the mutation as it is. */
    private static final class RawJson extends TextNode {
        private final String json;

        RawJson(String json) {
            super(json);
            this.json = json;
        }
    }
}
