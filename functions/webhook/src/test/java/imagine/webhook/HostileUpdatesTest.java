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
import imagine.core.Job;
import imagine.core.Json;
import imagine.core.testing.TestContext;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Thousands of real updates, generated and mutated, thrown at the webhook. Whatever arrives, it
 * answers 200 or 401, never leaks an exception into a reply, and enqueues only bounded, sane jobs.
 */
class HostileUpdatesTest {
    private static final Catalog CATALOG = Catalog.load();
    private static final List<String> SEED_EVENTS = List.of("telegram-private-text.json", "telegram-several-lines.json",
            "telegram-start-ru.json", "telegram-group-command.json", "telegram-group-other-bot.json",
            "telegram-edited-message.json", "telegram-callback-query.json", "telegram-member-update.json",
            "telegram-photo-caption.json", "telegram-wrong-secret.json");
    private static final List<String> LEAK_MARKERS = List.of("Exception", "Error", "\tat ", "java.", "jackson",
            "imagine.webhook", "imagine.core", "Caused by");
    private static final int TELEGRAM_MAX_TEXT_LENGTH = 4096;
    private static final int MAX_JOBS_PER_UPDATE = WebhookSettings.MAX_PROMPTS_PER_MESSAGE * PromptLine.MAX_IMAGES_PER_PROMPT;

    @Property(tries = 3000)
    void mutatedRealUpdatesAreAnsweredSafely(@ForAll("seedEvents") String seed, @ForAll("mutations") UnaryOperator<String> mutation,
            @ForAll boolean base64) {
        APIGatewayV2HTTPEvent event = loadApiGatewayHttpEvent(seed);
        setBody(event, mutation.apply(event.getBody()), base64);

        assertAnsweredSafely(event);
    }

    @Property(tries = 2000)
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

        APIGatewayV2HTTPResponse response = handler(1, enqueued).handleRequest(event, new TestContext());

        assertThat(response.getStatusCode()).isEqualTo(presented.equals("local-webhook-secret") ? 200 : 401);
        if (response.getStatusCode() == 401) {
            assertThat(enqueued).isEmpty();
        }
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
        APIGatewayV2HTTPResponse response = handler(imagesPerPrompt, enqueued).handleRequest(event, new TestContext());

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
                imagesPerPrompt, Set.of(), Set.of(), BlockedTerms.NONE, 0, 0);
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
