package dev.slipway.core.window;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.core.InvalidSpecException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * A JSON node together with the field path the admin knows it by, so every rejection names the exact field
 * ({@code spec.maintenance.windows[0].duration}). Only ever throws {@link InvalidSpecException}.
 */
record SpecNode(JsonNode node, String path) {

    static SpecNode root(JsonNode node, String path) {
        return new SpecNode(node, path == null ? "" : path);
    }

    /** Absent and explicit {@code null} mean the same thing, as they do in Kubernetes. */
    boolean isAbsent() {
        return node == null || node.isNull() || node.isMissingNode();
    }

    boolean isPresent() {
        return !isAbsent();
    }

    SpecNode field(String name) {
        return new SpecNode(node == null ? null : node.get(name), path.isEmpty() ? name : path + "." + name);
    }

    InvalidSpecException invalid(String reason) {
        return new InvalidSpecException(path, reason);
    }

    SpecNode requireObject(String... knownFields) {
        List<String> known = List.of(knownFields);
        if (isAbsent()) {
            throw invalid("is required");
        }
        if (!node.isObject()) {
            throw invalid("must be an object");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw field(name).invalid("is not a known field; expected one of " + String.join(", ", known));
            }
        }
        return this;
    }

    String requireText() {
        if (isAbsent()) {
            throw invalid("is required");
        }
        if (!node.isTextual()) {
            throw invalid("must be a string");
        }
        return node.textValue();
    }

    /** The elements of a non-empty array, each with its {@code [i]} path. */
    List<SpecNode> requireNonEmptyArray() {
        if (isAbsent()) {
            throw invalid("is required");
        }
        if (!node.isArray()) {
            throw invalid("must be a list");
        }
        if (node.isEmpty()) {
            throw invalid("must not be empty");
        }
        return elements();
    }

    /** The elements of an optional array; absent means none. */
    List<SpecNode> optionalArray() {
        if (isAbsent()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("must be a list");
        }
        return elements();
    }

    int requireInt() {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
            throw invalid("must be a whole number");
        }
        return node.intValue();
    }

    /** Maps a spec spelling such as {@code MinorAndMajor} to its constant; absent gives the default. */
    <E extends Enum<E>> E optionalChoice(E[] choices, Function<E, String> specName, E absent) {
        if (isAbsent()) {
            return absent;
        }
        String text = requireText();
        List<String> allowed = new ArrayList<>();
        for (E choice : choices) {
            if (specName.apply(choice).equals(text)) {
                return choice;
            }
            allowed.add(specName.apply(choice));
        }
        throw invalid("\"" + text + "\" is not one of " + String.join(", ", allowed));
    }

    private List<SpecNode> elements() {
        List<SpecNode> elements = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            elements.add(new SpecNode(node.get(i), path + "[" + i + "]"));
        }
        return elements;
    }
}
