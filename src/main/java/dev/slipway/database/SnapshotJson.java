package dev.slipway.database;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.slipway.core.schema.SchemaSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

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

    /** Parses a snapshot; a malformed one fails with a message naming the problem (never a stack trace's worth). */
    public static SchemaSnapshot read(InputStream json) throws IOException {
        try {
            return MAPPER.readValue(json, SchemaSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new InvalidSnapshotException("not a valid schema snapshot: " + e.getOriginalMessage(), e);
        }
    }

    public static SchemaSnapshot read(String json) {
        try {
            return MAPPER.readValue(json, SchemaSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new InvalidSnapshotException("not a valid schema snapshot: " + e.getOriginalMessage(), e);
        }
    }

    /** The snapshot text is not a schema snapshot (bad JSON, unknown field, missing value). */
    public static final class InvalidSnapshotException extends RuntimeException {
        InvalidSnapshotException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
