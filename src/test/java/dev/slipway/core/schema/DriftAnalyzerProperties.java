package dev.slipway.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Drift over random pairs of small schemas that share names, so that every kind of difference turns up: drift is
 * empty exactly when the schemas are equal, and what is missing one way round is extra the other way round. Building
 * each finding also checks its invariants (a Fixable finding has statements and none of them drops anything).
 */
class DriftAnalyzerProperties {

    @Property(tries = 300)
    void driftIsEmptyExactlyWhenTheSchemasAreEqual(@ForAll("snapshots") SchemaSnapshot expected,
            @ForAll("snapshots") SchemaSnapshot actual) {
        assertThat(DriftAnalyzer.compare(expected, expected)).isEmpty();
        assertThat(DriftAnalyzer.compare(expected, actual).isEmpty()).isEqualTo(expected.equals(actual));
    }

    @Property(tries = 300)
    void whatIsMissingOneWayIsExtraTheOtherWay(@ForAll("snapshots") SchemaSnapshot first,
            @ForAll("snapshots") SchemaSnapshot second) {
        Map<String, Long> missing = counts(DriftAnalyzer.compare(first, second), "missing-");
        Map<String, Long> extra = counts(DriftAnalyzer.compare(second, first), "extra-");

        assertThat(missing).isEqualTo(extra);
    }

    @Property(tries = 300)
    void extraObjectsAreOnlyEverWarnings(@ForAll("snapshots") SchemaSnapshot expected,
            @ForAll("snapshots") SchemaSnapshot actual) {
        assertThat(DriftAnalyzer.compare(expected, actual))
                .filteredOn(finding -> finding.category().label().startsWith("extra-"))
                .allMatch(finding -> finding.severity() == Severity.WARNING);
    }

    /**
     * Per kind of object. A missing table's foreign keys and triggers are findings of their own (they must be added
     * after other tables exist), an extra table's are not: those two kinds are left out.
     */
    private static Map<String, Long> counts(List<DriftFinding> findings, String prefix) {
        return findings.stream().map(finding -> finding.category().label())
                .filter(label -> label.startsWith(prefix))
                .map(label -> label.substring(prefix.length()))
                .filter(kind -> !kind.equals("constraint") && !kind.equals("trigger"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Provide
    Arbitrary<SchemaSnapshot> snapshots() {
        return Combinators.combine(
                unique(extension(), SchemaSnapshot.Extension::name),
                unique(enumType(), SchemaSnapshot.EnumType::name),
                unique(function(), SchemaSnapshot.SqlFunction::signature),
                unique(sequence(), SchemaSnapshot.Sequence::name),
                unique(table(), Table::name),
                unique(view(), SchemaSnapshot.View::name))
                .as((extensions, enums, functions, sequences, tables, views) -> new SchemaSnapshot(List.of("public"),
                        extensions, enums, functions, sequences, tables, views));
    }

    private static <T> Arbitrary<List<T>> unique(Arbitrary<T> items, Function<T, String> name) {
        return items.list().ofMaxSize(3).uniqueElements(name);
    }

    private static Arbitrary<SchemaSnapshot.Extension> extension() {
        return Combinators.combine(Arbitraries.of("pg_trgm", "citext"), Arbitraries.of("public", "extensions"),
                Arbitraries.of("1.5", "1.6")).as(SchemaSnapshot.Extension::new);
    }

    private static Arbitrary<SchemaSnapshot.EnumType> enumType() {
        return Combinators.combine(Arbitraries.of("public.mood", "public.size"),
                Arbitraries.of("x", "y", "z").list().ofMaxSize(3).uniqueElements()).as(SchemaSnapshot.EnumType::new);
    }

    private static Arbitrary<SchemaSnapshot.SqlFunction> function() {
        return Combinators.combine(Arbitraries.of("public.f()", "public.g(integer)"), Arbitraries.of(
                "CREATE OR REPLACE FUNCTION f() RETURNS integer LANGUAGE sql AS $$SELECT 1$$",
                "CREATE OR REPLACE FUNCTION f() RETURNS integer LANGUAGE sql AS $$SELECT 2$$"))
                .as(SchemaSnapshot.SqlFunction::new);
    }

    private static Arbitrary<SchemaSnapshot.Sequence> sequence() {
        return Combinators.combine(Arbitraries.of("public.s1", "public.s2"), Arbitraries.of("integer", "bigint"),
                Arbitraries.of(1L, 100L), Arbitraries.of(1L, 5L), Arbitraries.of(false, true))
                .as((name, type, start, increment, cycle) ->
                        new SchemaSnapshot.Sequence(name, type, start, 1, 2147483647L, increment, cycle));
    }

    private static Arbitrary<SchemaSnapshot.View> view() {
        return Combinators.combine(Arbitraries.of("public.v1", "public.v2"), Arbitraries.of("SELECT 1", "SELECT 2"))
                .as(SchemaSnapshot.View::new);
    }

    private static Arbitrary<Table> table() {
        return Combinators.combine(Arbitraries.of("public.t1", "public.t2"),
                column().list().ofMaxSize(3).uniqueElements(Table.Column::name),
                index().list().ofMaxSize(2).uniqueElements(Table.Index::name),
                constraint().list().ofMaxSize(2).uniqueElements(Table.Constraint::name),
                trigger().list().ofMaxSize(1)).as(Table::new);
    }

    /** PostgreSQL's rules: a generated or identity column has no default. */
    private static Arbitrary<Table.Column> column() {
        return Combinators.combine(Arbitraries.of("a", "b", "c"), Arbitraries.of("integer", "text"),
                Arbitraries.of(true, false), Arbitraries.of("plain", "default 0", "default 1", "identity always",
                        "identity by default", "generated"))
                .as((name, type, nullable, kind) -> new Table.Column(name, type, nullable,
                        kind.startsWith("default") ? kind.substring("default ".length()) : null,
                        kind.startsWith("identity") ? kind.substring("identity ".length()).toUpperCase() : null,
                        kind.equals("generated") ? "(a * 2)" : null));
    }

    private static Arbitrary<Table.Index> index() {
        return Combinators.combine(Arbitraries.of("i1", "i2"), Arbitraries.of(false, true)).as((name, unique) ->
                new Table.Index(name, "CREATE " + (unique ? "UNIQUE " : "") + "INDEX " + name + " ON t USING btree (a)",
                        unique, false, null));
    }

    private static Arbitrary<Table.Constraint> constraint() {
        return Combinators.combine(Arbitraries.of("c1", "c2"), Arbitraries.of("CHECK", "FOREIGN KEY"),
                Arbitraries.of("(a > 0)", "(a > 1)")).as((name, type, definition) ->
                        new Table.Constraint(name, type, type.equals("CHECK") ? "CHECK " + definition
                                : "FOREIGN KEY (a) REFERENCES public.t1(a)"));
    }

    private static Arbitrary<Table.Trigger> trigger() {
        return Arbitraries.of("BEFORE", "AFTER").map(when -> new Table.Trigger("tr",
                "CREATE TRIGGER tr " + when + " UPDATE ON t FOR EACH ROW EXECUTE FUNCTION public.f()"));
    }
}
