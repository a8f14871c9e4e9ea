package dev.slipway.core.schema;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * What a PostgreSQL schema looks like, as far as an application's migrations care: the expected-schema format vendors
 * publish per release ({@code schemaSnapshot} in the feed) and what Slipway reads from a live database.
 *
 * <p>Every list is sorted by name on construction, so two snapshots of equal schemas are equal (and serialise
 * byte-identically) whatever order the catalog returned them in. Names are SQL-ready: schema-qualified and quoted
 * where PostgreSQL needs quotes ({@code public.orders}, {@code public."Order"}). Documented by
 * {@code schema-snapshot.schema.json}.
 */
public record SchemaSnapshot(
        int formatVersion,
        List<String> schemas,
        List<Extension> extensions,
        List<EnumType> enums,
        List<SqlFunction> functions,
        List<Sequence> sequences,
        List<Table> tables,
        List<View> views) {

    public static final int FORMAT_VERSION = 1;

    public SchemaSnapshot {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported schema snapshot formatVersion " + formatVersion
                    + " (this Slipway reads " + FORMAT_VERSION + ")");
        }
        schemas = sorted(schemas, Function.identity());
        extensions = sorted(extensions, Extension::name);
        enums = sorted(enums, EnumType::name);
        functions = sorted(functions, SqlFunction::signature);
        sequences = sorted(sequences, Sequence::name);
        tables = sorted(tables, Table::name);
        views = sorted(views, View::name);
    }

    public SchemaSnapshot(List<String> schemas, List<Extension> extensions, List<EnumType> enums,
            List<SqlFunction> functions, List<Sequence> sequences, List<Table> tables, List<View> views) {
        this(FORMAT_VERSION, schemas, extensions, enums, functions, sequences, tables, views);
    }

    static <T> List<T> sorted(List<T> items, Function<T, String> name) {
        return items == null ? List.of() : items.stream().sorted(Comparator.comparing(name)).toList();
    }

    /** An installed extension; extensions are database-wide, so every one is listed. */
    public record Extension(String name, String schema, String version) {
    }

    /** An enum type and its labels in their sort order (the order matters: it is the enum's ordering). */
    public record EnumType(String name, List<String> labels) {
        public EnumType {
            labels = List.copyOf(labels);
        }
    }

    /** A function or procedure: {@code schema.name(argument types)} and its {@code CREATE OR REPLACE} text. */
    public record SqlFunction(String signature, String definition) {
    }

    /** A free-standing sequence (identity columns' sequences belong to their column and are not listed). */
    public record Sequence(String name, String dataType, long start, long minimum, long maximum, long increment,
            boolean cycle) {
    }

    /** A view and its query as PostgreSQL prints it. */
    public record View(String name, String definition) {
    }
}
