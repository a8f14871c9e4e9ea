package dev.slipway.releaseapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing the feed parser: whatever the bytes (random, random JSON, feed-shaped JSON with random values, a valid feed
 * with fields deleted, types changed, garbage inserted, cut short or nested deeply), parsing ends, and either returns
 * every release of the document or throws {@link FeedException}. No other exception ever escapes.
 */
class FeedParserProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final URI BASE = URI.create("https://releases.example.com/acme/");
    private static final String SHA = "0123456789abcdef".repeat(4);
    private static final List<String> FIELDS = List.of("product", "generatedAt", "releases", "version", "channels",
            "publishedAt", "images", "migrations", "bundleUrl", "sha256", "schemaVersion", "schemaSnapshot", "url",
            "requiredStop", "minUpgradeFrom", "blocked", "reason", "notesUrl", "web",
            "compatibility", "mode", "expand", "contract", "minAppVersion");

    @Property(tries = 500)
    void randomBytes(@ForAll byte[] body) {
        assertParsesCompletelyOrFailsWithFeedException(body);
    }

    @Property(tries = 500)
    void randomJson(@ForAll("jsonValues") JsonNode document) throws Exception {
        assertParsesCompletelyOrFailsWithFeedException(JSON.writeValueAsBytes(document));
    }

    @Property(tries = 500)
    void feedShapedJsonWithRandomValues(@ForAll("feedShapedDocuments") JsonNode document) throws Exception {
        assertParsesCompletelyOrFailsWithFeedException(JSON.writeValueAsBytes(document));
        Statistics.coverage(coverage -> {
            coverage.check("parsed").count(times -> times > 0);
            coverage.check(FeedException.Kind.InvalidFeed).count(times -> times > 0);
            coverage.check(FeedException.Kind.InvalidVersion).count(times -> times > 0);
        });
    }

    @Property(tries = 500)
    void mutatedValidFeeds(@ForAll("mutatedFeeds") byte[] body) {
        assertParsesCompletelyOrFailsWithFeedException(body);
    }

    private static void assertParsesCompletelyOrFailsWithFeedException(byte[] body) {
        try {
            ReleaseCatalog catalog = FeedParser.parse(body, "acme", BASE);
            assertThat(catalog.releases()).as("never a partial catalogue").hasSize(releasesIn(body));
            Statistics.collect("parsed");
        } catch (FeedException e) {
            assertThat(e.kind()).isIn(FeedException.Kind.InvalidFeed, FeedException.Kind.InvalidVersion);
            assertThat(e.getMessage()).isNotBlank();
            Statistics.collect(e.kind());
        }
    }

    private static int releasesIn(byte[] acceptedBody) {
        try {
            return JSON.readTree(acceptedBody).get("releases").size();
        } catch (IOException e) {
            throw new AssertionError("the parser accepted what Jackson cannot read", e);
        }
    }

    @Provide
    Arbitrary<JsonNode> jsonValues() {
        return json(3);
    }

    /** A valid feed whose releases each have up to two fields replaced by plausible or random values. */
    @Provide
    Arbitrary<JsonNode> feedShapedDocuments() {
        Arbitrary<JsonNode> value = Arbitraries.frequencyOf(Tuple.of(3, plausibleValues()), Tuple.of(1, json(2)));
        Arbitrary<Map<String, JsonNode>> overrides = Arbitraries.maps(Arbitraries.of(FIELDS.subList(3, FIELDS.size())),
                value).ofMaxSize(2);
        return overrides.list().ofMaxSize(3).map(releaseOverrides -> {
            ObjectNode feed = validFeed();
            ArrayNode releases = (ArrayNode) feed.get("releases");
            for (int i = 0; i < releaseOverrides.size(); i++) {
                releaseOverrides.get(i).forEach(((ObjectNode) releases.get(i))::set);
            }
            return feed;
        });
    }

    @Provide
    Arbitrary<byte[]> mutatedFeeds() {
        Arbitrary<TreeMutation> treeMutation = Combinators.combine(Arbitraries.of(TreeMutation.Kind.class),
                Arbitraries.integers().greaterOrEqual(0), json(2), Arbitraries.integers().between(1, 20_000))
                .as(TreeMutation::new);
        Arbitrary<ByteMutation> byteMutation = Combinators.combine(Arbitraries.of(ByteMutation.Kind.class),
                Arbitraries.integers().greaterOrEqual(0), Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8))
                .as(ByteMutation::new);
        return Combinators.combine(treeMutation.list().ofMaxSize(4), byteMutation.list().ofMaxSize(2))
                .as((treeMutations, byteMutations) -> {
                    ObjectNode feed = validFeed();
                    treeMutations.forEach(mutation -> mutation.applyTo(feed));
                    byte[] body = TreeMutation.expandNesting(feed.toString()).getBytes(StandardCharsets.UTF_8);
                    for (ByteMutation mutation : byteMutations) {
                        body = mutation.applyTo(body);
                    }
                    return body;
                });
    }

    /** Changes one field or array element of the tree, chosen by {@code selector} among all of them. */
    record TreeMutation(Kind kind, int selector, JsonNode replacement, int depth) {
        private static final Pattern NESTING_PLACEHOLDER = Pattern.compile("\"@@nest:(\\d+)@@\"");
        enum Kind { DELETE, CHANGE_TYPE, NEST_DEEPLY }

        void applyTo(ObjectNode root) {
            List<Map.Entry<JsonNode, Object>> slots = new ArrayList<>();
            collectSlots(root, slots);
            if (slots.isEmpty()) {
                return;
            }
            Map.Entry<JsonNode, Object> slot = slots.get(selector % slots.size());
            JsonNode value = switch (kind) {
                case DELETE -> null;
                case CHANGE_TYPE -> replacement;
                case NEST_DEEPLY -> nested(depth);
            };
            if (slot.getKey() instanceof ObjectNode object) {
                if (value == null) {
                    object.remove((String) slot.getValue());
                } else {
                    object.set((String) slot.getValue(), value);
                }
            } else if (slot.getKey() instanceof ArrayNode array) {
                if (value == null) {
                    array.remove((int) slot.getValue());
                } else {
                    array.set((int) slot.getValue(), value);
                }
            }
        }

        private static void collectSlots(JsonNode node, List<Map.Entry<JsonNode, Object>> slots) {
            if (node.isObject()) {
                node.fieldNames().forEachRemaining(name -> slots.add(Map.entry(node, name)));
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    slots.add(Map.entry(node, i));
                }
            }
            node.elements().forEachRemaining(child -> collectSlots(child, slots));
        }

        /** Jackson refuses to write deep trees, so a placeholder marks where the nesting goes into the text. */
        private static JsonNode nested(int depth) {
            return NODES.textNode("@@nest:" + depth + "@@");
        }

        static String expandNesting(String json) {
            return NESTING_PLACEHOLDER.matcher(json).replaceAll(match -> {
                int depth = Integer.parseInt(match.group(1));
                return "[".repeat(depth) + "]".repeat(depth);
            });
        }
    }

    /** Damages the serialized bytes at {@code offset} (taken modulo the length). */
    record ByteMutation(Kind kind, int offset, byte[] garbage) {
        enum Kind { INSERT_GARBAGE, TRUNCATE, OVERWRITE }

        byte[] applyTo(byte[] body) {
            int at = body.length == 0 ? 0 : offset % body.length;
            return switch (kind) {
                case TRUNCATE -> Arrays.copyOf(body, at);
                case INSERT_GARBAGE -> {
                    byte[] result = new byte[body.length + garbage.length];
                    System.arraycopy(body, 0, result, 0, at);
                    System.arraycopy(garbage, 0, result, at, garbage.length);
                    System.arraycopy(body, at, result, at + garbage.length, body.length - at);
                    yield result;
                }
                case OVERWRITE -> {
                    byte[] result = body.clone();
                    for (int i = 0; i < garbage.length && at + i < result.length; i++) {
                        result[at + i] = garbage[i];
                    }
                    yield result;
                }
            };
        }
    }

    private static ObjectNode validFeed() {
        ObjectNode feed = NODES.objectNode().put("product", "acme").put("generatedAt", "2026-11-20T10:00:00Z");
        ArrayNode releases = feed.putArray("releases");
        for (String version : List.of("1.0.0", "1.2.0", "2.0.0-rc.1+build.7")) {
            ObjectNode release = releases.addObject().put("version", version).put("publishedAt", "2026-10-01T12:00:00Z");
            release.putArray("channels").add("stable").add("fast");
            release.putObject("images").put("web", "registry.example.com/acme/web@sha256:" + SHA);
            ObjectNode compatibility = release.putObject("migrations").put("bundleUrl", "migrations/" + version + ".zip")
                    .put("sha256", SHA).put("schemaVersion", "12").putObject("compatibility").put("mode", "backward");
            compatibility.putObject("expand").put("schemaVersion", "11").put("minAppVersion", "1.0.0");
            compatibility.putObject("contract").put("minAppVersion", "1.2.0");
            release.putObject("schemaSnapshot").put("url", "schemas/" + version + ".json").put("sha256", SHA);
            release.put("requiredStop", true).put("minUpgradeFrom", "1.0.0").put("notesUrl", "https://docs.example.com/");
            release.putObject("blocked").put("reason", "data loss").put("url", "advisories/1");
        }
        return feed;
    }

    private static Arbitrary<JsonNode> plausibleValues() {
        return Arbitraries.of("acme", "1.2.3", "1.2", "v1.0.0", "2026-11-20T10:00:00Z", "2026-11-20", SHA, "stable",
                "migrations/x.zip", "../../x", "file:/etc/passwd", "https://example.com/", "", " ", "12", "backward", "1.0.0")
                .map(text -> (JsonNode) NODES.textNode(text))
                .injectDuplicates(0.1);
    }

    private static Arbitrary<JsonNode> json(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(NODES::textNode),
                Arbitraries.integers().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()),
                plausibleValues());
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> child = Arbitraries.lazy(() -> json(depth - 1));
        Arbitrary<JsonNode> array = child.list().ofMaxSize(4).map(items -> NODES.arrayNode().addAll(items));
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(FIELDS),
                Arbitraries.strings().ofMaxLength(8)), child).ofMaxSize(5).map(fields -> {
                    ObjectNode node = NODES.objectNode();
                    fields.forEach(node::set);
                    return node;
                });
        return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(1, array),
                Tuple.of(1, object));
    }
}
