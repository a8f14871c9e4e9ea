package dev.slipway.database;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.slipway.core.schema.SchemaSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The canonical text of a {@link SchemaSnapshot}: properties in alphabetical order, lists sorted by name (the record
 * does that), two-space indentation, {@code \n} line ends whatever the platform, and a final newline. Equal schemas
 * therefore give byte-identical files, which is what vendors hash ({@code sha256}) and diff.
 */
public final class SnapshotJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private SnapshotJson() {
    }

    public static String write(SchemaSnapshot snapshot) {
        try {
            return WRITER.writeValueAsString(snapshot) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a schema snapshot could not be serialised", e);
        }
    }

    public static byte[] writeBytes(SchemaSnapshot snapshot) {
        return write(snapshot).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a snapshot; a malformed one fails with a message naming the problem, the field's path and the line and
     * column, in the words of the snapshot format (never Java class names or a stack trace's worth).
     */
    public static SchemaSnapshot read(InputStream json) throws IOException {
        try {
            return MAPPER.readValue(json, SchemaSnapshot.class);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        }
    }

    public static SchemaSnapshot read(String json) {
        try {
            return MAPPER.readValue(json, SchemaSnapshot.class);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        }
    }

    private static InvalidSnapshotException invalid(JsonProcessingException e) {
        String problem;
        if (e instanceof UnrecognizedPropertyException unknown) {
            problem = "unknown field \"" + unknown.getPropertyName() + "\"";
        } else if (e instanceof JsonParseException) {
            problem = "malformed JSON (" + firstLine(e.getOriginalMessage()) + ")";
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            problem = "a value of the wrong kind" + (mismatch.getTargetType().isPrimitive()
                    || Number.class.isAssignableFrom(mismatch.getTargetType()) ? " (a number is expected)"
                    : List.class.isAssignableFrom(mismatch.getTargetType()) ? " (a list is expected)" : "");
        } else {
            problem = "a missing or invalid value";
        }
        String path = path(e instanceof JsonMappingException mapping ? mapping.getPath() : List.of());
        JsonLocation location = e.getLocation();
        return new InvalidSnapshotException("not a valid schema snapshot: " + problem
                + (path.isEmpty() ? "" : " at " + path)
                + (location == null || location.getLineNr() < 0 ? "" : " (line " + location.getLineNr() + ", column "
                + location.getColumnNr() + ")"), e);
    }

    /** "tables[0].columns[2].type": the field's place in the document, as a reader of the file would name it. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
    }

    /** The snapshot text is not a schema snapshot (bad JSON, unknown field, missing value). */
    public static final class InvalidSnapshotException extends RuntimeException {
        InvalidSnapshotException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
