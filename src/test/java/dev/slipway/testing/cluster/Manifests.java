package dev.slipway.testing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/** The objects of one {@code helm template} run, parsed so tests assert on fields rather than on text. */
public record Manifests(List<JsonNode> documents) {

    private static final YAMLMapper YAML = new YAMLMapper();

    public static Manifests parse(String rendered) {
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(rendered)) {
            // A template that renders nothing leaves an empty document behind.
            return new Manifests(documents.readAll().stream()
                    .filter(Objects::nonNull).filter(document -> document.has("kind")).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("helm rendered invalid YAML", e);
        }
    }

    public <T> List<T> ofKind(String kind, Class<T> type) {
        return documents.stream().filter(document -> document.path("kind").asText().equals(kind))
                .map(document -> YAML.convertValue(document, type)).toList();
    }

    public <T> T single(String kind, Class<T> type) {
        List<T> objects = ofKind(kind, type);
        if (objects.size() != 1) {
            throw new AssertionError("expected one " + kind + " but the chart rendered " + objects.size());
        }
        return objects.get(0);
    }

    public List<String> kinds() {
        return documents.stream().map(document -> document.path("kind").asText()).toList();
    }
}
