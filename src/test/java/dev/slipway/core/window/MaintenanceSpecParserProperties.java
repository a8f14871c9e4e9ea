package dev.slipway.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.core.InvalidSpecException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Whatever JSON an admin (or a fuzzer) writes, the parser answers with a schedule or an InvalidSpecException. */
class MaintenanceSpecParserProperties {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String VALID = """
            timeZone: Europe/Berlin
            windows:
              - {name: weeknights, days: [Mon, Tue, Wed, Thu], startTime: "22:00", duration: 4h}
              - {name: month-end, monthDays: [-1, 29], startTime: "02:00", duration: 3h}
              - {name: one-off, between: {start: "2026-11-14T20:00:00+01:00", end: "2026-11-15T04:00:00+01:00"}}
            exclusions:
              - {name: freeze, startDate: "2026-12-19", endDate: "2027-01-04", scope: All}
              - {name: black-friday, start: "2026-11-27T00:00:00-05:00", end: "2026-11-30T12:00:00Z", scope: Major}
            minimumRemaining: 45m
            onWindowEnd: Continue
            """;
    private static final List<String> KEYS = List.of("timeZone", "windows", "exclusions", "minimumRemaining",
            "onWindowEnd", "name", "days", "monthDays", "between", "startTime", "duration", "start", "end",
            "startDate", "endDate", "scope");
    private static final List<Supplier<JsonNode>> ODD_VALUES = List.of(
            JSON::nullNode, () -> JSON.numberNode(0), () -> JSON.numberNode(-1), () -> JSON.numberNode(1e300),
            () -> JSON.numberNode(new BigInteger("123456789012345678901234567890")), () -> JSON.numberNode(29.5),
            () -> JSON.booleanNode(true), () -> JSON.textNode(""), () -> JSON.textNode("Mon"),
            () -> JSON.textNode("25:00"), () -> JSON.textNode("23:59"), () -> JSON.textNode("-5m"),
            () -> JSON.textNode("168h"), () -> JSON.textNode("99999999999999999999h"), () -> JSON.textNode("1d"),
            () -> JSON.textNode("+999999999-12-31"), () -> JSON.textNode("-999999999-01-01"),
            () -> JSON.textNode("+1000000000-12-31T23:59:59Z"), () -> JSON.textNode("2026-02-29"),
            () -> JSON.textNode("2026-03-29T02:30:00"), () -> JSON.textNode("UTC+2"), () -> JSON.textNode("Major"),
            JSON::arrayNode, JSON::objectNode, () -> JSON.arrayNode().add(JSON.nullNode()),
            () -> JSON.arrayNode().add(31).add(-31), () -> JSON.objectNode().put("start", "x"));

    @Property(tries = 2000)
    void mutatedSpecsAreParsedOrRejectedAsInvalidSpec(@ForAll long seed) {
        Random random = new Random(seed);
        JsonNode spec = Schedules.yaml(VALID);
        for (int mutations = 1 + random.nextInt(3); mutations > 0; mutations--) {
            spec = mutate(spec, random);
        }

        assertParsedOrRejected(spec);
    }

    @Property(tries = 1000)
    void randomJsonIsParsedOrRejectedAsInvalidSpec(@ForAll long seed) {
        assertParsedOrRejected(randomNode(new Random(seed), 4));
    }

    private static void assertParsedOrRejected(JsonNode spec) {
        ParsedMaintenance parsed;
        try {
            parsed = MaintenanceSpecParser.parse(spec, "spec.maintenance");
        } catch (InvalidSpecException rejected) {
            assertThat(rejected.field()).startsWith("spec.maintenance");
            assertThat(rejected.reason()).isNotBlank();
            return;
        }
        WindowEngine engine = new WindowEngine(parsed.schedule());
        assertThat(engine.evaluate(Instant.parse("2026-11-26T12:00:00Z"), UpgradeScope.MAJOR)).isNotNull();
    }

    /** Replaces one node chosen at random (or the root) by an odd value, or removes it from its parent. */
    private static JsonNode mutate(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(root, containers);
        if (containers.isEmpty() || random.nextInt(20) == 0) {
            return oddValue(random);
        }
        JsonNode parent = containers.get(random.nextInt(containers.size()));
        if (parent instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.isEmpty() || random.nextInt(4) == 0 ? KEYS.get(random.nextInt(KEYS.size()))
                    : names.get(random.nextInt(names.size()));
            if (random.nextInt(4) == 0) {
                object.remove(name);
            } else {
                object.set(name, oddValue(random));
            }
        } else if (parent instanceof ArrayNode array && !array.isEmpty()) {
            array.set(random.nextInt(array.size()), oddValue(random));
        }
        return root;
    }

    private static void collectContainers(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            node.elements().forEachRemaining(child -> collectContainers(child, containers));
        }
    }

    private static JsonNode oddValue(Random random) {
        return ODD_VALUES.get(random.nextInt(ODD_VALUES.size())).get();
    }

    private static JsonNode randomNode(Random random, int depth) {
        int kind = depth == 0 ? 2 + random.nextInt(2) : random.nextInt(4);
        switch (kind) {
            case 0 -> {
                ObjectNode object = JSON.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(KEYS.get(random.nextInt(KEYS.size())), randomNode(random, depth - 1));
                }
                return object;
            }
            case 1 -> {
                ArrayNode array = JSON.arrayNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    array.add(randomNode(random, depth - 1));
                }
                return array;
            }
            default -> {
                return oddValue(random);
            }
        }
    }
}
