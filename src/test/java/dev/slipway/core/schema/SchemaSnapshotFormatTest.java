package dev.slipway.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The published JSON Schema and the records that read and write snapshots must describe the same fields. */
class SchemaSnapshotFormatTest {

    private static final Map<String, Class<? extends Record>> DEFINITIONS = Map.of(
            "extension", SchemaSnapshot.Extension.class, "enum", SchemaSnapshot.EnumType.class,
            "function", SchemaSnapshot.SqlFunction.class, "sequence", SchemaSnapshot.Sequence.class,
            "table", Table.class, "column", Table.Column.class, "index", Table.Index.class,
            "constraint", Table.Constraint.class, "trigger", Table.Trigger.class, "view", SchemaSnapshot.View.class);

    @Test
    void everyRecordFieldIsDocumentedAndNothingElse() throws IOException {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream("/schema-snapshot.schema.json")) {
            schema = new ObjectMapper().readTree(in);
        }

        assertThat(propertyNames(schema)).isEqualTo(componentNames(SchemaSnapshot.class));
        DEFINITIONS.forEach((definition, type) -> assertThat(propertyNames(schema.at("/$defs/" + definition)))
                .as(definition).isEqualTo(componentNames(type)));
        assertThat(schema.at("/properties/formatVersion/const").asInt()).isEqualTo(SchemaSnapshot.FORMAT_VERSION);
    }

    @Test
    void listsAreSortedByNameSoEqualSchemasAreEqualSnapshots() {
        SchemaSnapshot.View first = new SchemaSnapshot.View("public.b", "SELECT 1");
        SchemaSnapshot.View second = new SchemaSnapshot.View("public.a", "SELECT 2");

        SchemaSnapshot one = new SchemaSnapshot(List.of("public"), null, null, null, null, null, List.of(first, second));
        SchemaSnapshot other = new SchemaSnapshot(List.of("public"), null, null, null, null, null, List.of(second, first));

        assertThat(one).isEqualTo(other);
        assertThat(one.views()).extracting(SchemaSnapshot.View::name).containsExactly("public.a", "public.b");
    }

    @Test
    void anUnknownFormatVersionIsRefused() {
        assertThatThrownBy(() -> new SchemaSnapshot(2, List.of(), null, null, null, null, null, null))
                .hasMessageContaining("unsupported schema snapshot formatVersion 2");
    }

    @Test
    void aFixableFindingNeverDropsAnythingAndAlwaysSaysHow() {
        assertThatThrownBy(() -> new DriftFinding(DriftCategory.EXTRA_INDEX, "x on public.t", Severity.FIXABLE,
                "index is extra", List.of("DROP INDEX public.x"))).hasMessageContaining("must never drop");
        assertThatThrownBy(() -> new DriftFinding(DriftCategory.COLUMN_DEFAULT, "public.t.c", Severity.FIXABLE,
                "default differs", List.of("ALTER TABLE public.t ALTER COLUMN c DROP DEFAULT")))
                .hasMessageContaining("must never drop");
        assertThatThrownBy(() -> new DriftFinding(DriftCategory.MISSING_INDEX, "x on public.t", Severity.FIXABLE,
                "index is missing", List.of())).hasMessageContaining("needs the statements");
        assertThat(new DriftFinding(DriftCategory.MISSING_FUNCTION, "public.f()", Severity.FIXABLE, "missing",
                List.of("CREATE OR REPLACE FUNCTION public.f() RETURNS void LANGUAGE sql AS $$ DROP TABLE x $$")))
                .extracting(DriftFinding::severity).isEqualTo(Severity.FIXABLE);
    }

    private static List<String> propertyNames(JsonNode objectSchema) {
        return StreamSupport.stream(((Iterable<String>) () -> objectSchema.get("properties").fieldNames()).spliterator(), false)
                .sorted().toList();
    }

    private static List<String> componentNames(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).sorted()
                .collect(Collectors.toList());
    }
}
