package dev.slipway.core.schema;

import static dev.slipway.core.schema.DriftCollector.match;
import static dev.slipway.core.schema.Severity.BLOCKING;
import static dev.slipway.core.schema.Severity.FIXABLE;
import static dev.slipway.core.schema.Severity.WARNING;

import dev.slipway.core.schema.DriftCollector.Phase;
import dev.slipway.core.schema.SchemaSnapshot.EnumType;
import dev.slipway.core.schema.SchemaSnapshot.Extension;
import dev.slipway.core.schema.SchemaSnapshot.Sequence;
import dev.slipway.core.schema.SchemaSnapshot.SqlFunction;
import dev.slipway.core.schema.SchemaSnapshot.View;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares the schema a release expects with the live one. Severity rules: {@code Blocking} when a migration would
 * fail or corrupt (missing table or column, a type or identity that differs); {@code Fixable} when an additive
 * statement restores the expected state (missing index, enum label, default, constraint, trigger, view, function,
 * type, sequence); {@code Warning} for everything else, notably objects the vendor does not know (an admin's extra
 * index never blocks). Findings come in an order in which their statements can be applied; no Fixable statement
 * drops anything.
 */
public final class DriftAnalyzer {

    private DriftAnalyzer() {
    }

    public static List<DriftFinding> compare(SchemaSnapshot expected, SchemaSnapshot actual) {
        DriftCollector drift = new DriftCollector();
        match(expected.extensions(), actual.extensions(), Extension::name,
                missing -> drift.add(Phase.EXTENSIONS, DriftCategory.MISSING_EXTENSION, missing.name(), FIXABLE,
                        "extension is not installed",
                        "CREATE EXTENSION IF NOT EXISTS " + missing.name() + " WITH SCHEMA " + missing.schema()),
                extra -> drift.add(Phase.EXTENSIONS, DriftCategory.EXTRA_EXTENSION, extra.name(), WARNING,
                        "extension is installed but not part of the expected schema"),
                (wanted, found) -> compareExtension(drift, wanted, found));
        match(expected.enums(), actual.enums(), EnumType::name,
                missing -> drift.add(Phase.TYPES, DriftCategory.MISSING_ENUM, missing.name(), FIXABLE,
                        "enum type is missing", "CREATE TYPE " + missing.name() + " AS ENUM ("
                                + String.join(", ", missing.labels().stream().map(SqlText::literal).toList()) + ")"),
                extra -> drift.add(Phase.TYPES, DriftCategory.EXTRA_ENUM, extra.name(), WARNING,
                        "enum type is not part of the expected schema"),
                (wanted, found) -> EnumDrift.compare(drift, wanted, found));
        match(expected.sequences(), actual.sequences(), Sequence::name,
                missing -> drift.add(Phase.SEQUENCES, DriftCategory.MISSING_SEQUENCE, missing.name(), FIXABLE,
                        "sequence is missing", "CREATE SEQUENCE " + missing.name() + " " + SqlText.sequenceOptions(missing)),
                extra -> drift.add(Phase.SEQUENCES, DriftCategory.EXTRA_SEQUENCE, extra.name(), WARNING,
                        "sequence is not part of the expected schema"),
                (wanted, found) -> compareSequence(drift, wanted, found));
        match(expected.tables(), actual.tables(), Table::name,
                missing -> TableDrift.missingTable(drift, missing),
                extra -> drift.add(Phase.TABLES, DriftCategory.EXTRA_TABLE, extra.name(), WARNING,
                        "table is not part of the expected schema"),
                (wanted, found) -> TableDrift.compare(drift, wanted, found));
        match(expected.functions(), actual.functions(), SqlFunction::signature,
                missing -> drift.add(Phase.FUNCTIONS, DriftCategory.MISSING_FUNCTION, missing.signature(), FIXABLE,
                        "function is missing", missing.definition()),
                extra -> drift.add(Phase.FUNCTIONS, DriftCategory.EXTRA_FUNCTION, extra.signature(), WARNING,
                        "function is not part of the expected schema"),
                (wanted, found) -> {
                    if (!wanted.definition().equals(found.definition())) {
                        drift.add(Phase.FUNCTIONS, DriftCategory.CHANGED_FUNCTION, wanted.signature(), FIXABLE,
                                "function body or attributes differ from the expected definition", wanted.definition());
                    }
                });
        match(expected.views(), actual.views(), View::name,
                missing -> drift.add(Phase.VIEWS, DriftCategory.MISSING_VIEW, missing.name(), FIXABLE, "view is missing",
                        "CREATE VIEW " + missing.name() + " AS\n" + missing.definition()),
                extra -> drift.add(Phase.VIEWS, DriftCategory.EXTRA_VIEW, extra.name(), WARNING,
                        "view is not part of the expected schema"),
                (wanted, found) -> {
                    if (!wanted.definition().equals(found.definition())) {
                        drift.add(Phase.VIEWS, DriftCategory.CHANGED_VIEW, wanted.name(), FIXABLE,
                                "view query differs from the expected definition",
                                "CREATE OR REPLACE VIEW " + wanted.name() + " AS\n" + wanted.definition());
                    }
                });
        return drift.inApplyOrder();
    }

    private static void compareExtension(DriftCollector drift, Extension wanted, Extension found) {
        if (wanted.equals(found)) {
            return;
        }
        List<String> statements = new ArrayList<>();
        if (!wanted.version().equals(found.version())) {
            statements.add("ALTER EXTENSION " + wanted.name() + " UPDATE TO " + SqlText.literal(wanted.version()));
        }
        drift.add(Phase.EXTENSIONS, DriftCategory.CHANGED_EXTENSION, wanted.name(), WARNING,
                "extension is version " + found.version() + " in schema " + found.schema() + ", expected version "
                        + wanted.version() + " in schema " + wanted.schema(),
                statements.toArray(String[]::new));
    }

    private static void compareSequence(DriftCollector drift, Sequence wanted, Sequence found) {
        if (!wanted.equals(found)) {
            drift.add(Phase.SEQUENCES, DriftCategory.CHANGED_SEQUENCE, wanted.name(), WARNING,
                    "sequence options are " + SqlText.sequenceOptions(found) + ", expected "
                            + SqlText.sequenceOptions(wanted),
                    "ALTER SEQUENCE " + wanted.name() + " " + SqlText.sequenceOptions(wanted));
        }
    }
}
