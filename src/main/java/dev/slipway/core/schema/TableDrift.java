package dev.slipway.core.schema;

import static dev.slipway.core.schema.DriftCollector.match;
import static dev.slipway.core.schema.Severity.BLOCKING;
import static dev.slipway.core.schema.Severity.FIXABLE;
import static dev.slipway.core.schema.Severity.WARNING;

import dev.slipway.core.schema.DriftCollector.Phase;
import dev.slipway.core.schema.Table.Column;
import dev.slipway.core.schema.Table.Constraint;
import dev.slipway.core.schema.Table.Index;
import dev.slipway.core.schema.Table.Trigger;
import java.util.Objects;

/** Differences inside one table: columns, indexes, constraints, triggers. */
final class TableDrift {

    private TableDrift() {
    }

    /**
     * A missing table is Blocking (its data is gone or was never there); the suggested statements recreate it empty.
     * Its foreign keys and triggers are separate findings, placed where the objects they need exist.
     */
    static void missingTable(DriftCollector drift, Table table) {
        drift.add(Phase.TABLES, DriftCategory.MISSING_TABLE, table.name(), BLOCKING,
                "table is missing; migrations that use it would fail",
                SqlText.createTable(table).toArray(String[]::new));
        table.constraints().stream().filter(Constraint::isForeignKey).forEach(foreignKey ->
                drift.add(Phase.FOREIGN_KEYS, DriftCategory.MISSING_CONSTRAINT, childName(table, foreignKey.name()),
                        BLOCKING, "foreign key of the missing table " + table.name(),
                        SqlText.addConstraint(table, foreignKey)));
        table.triggers().forEach(trigger ->
                drift.add(Phase.TRIGGERS, DriftCategory.MISSING_TRIGGER, childName(table, trigger.name()), BLOCKING,
                        "trigger of the missing table " + table.name(), trigger.definition()));
    }

    static void compare(DriftCollector drift, Table wanted, Table found) {
        match(wanted.columns(), found.columns(), Column::name,
                missing -> drift.add(Phase.TABLES, DriftCategory.MISSING_COLUMN, columnName(wanted, missing), BLOCKING,
                        "column is missing; migrations that use it would fail",
                        "ALTER TABLE " + wanted.name() + " ADD COLUMN " + SqlText.columnDefinition(missing)),
                extra -> drift.add(Phase.TABLES, DriftCategory.EXTRA_COLUMN, columnName(wanted, extra), WARNING,
                        "column is not part of the expected schema"
                                + (!extra.nullable() && extra.defaultExpression() == null && extra.identity() == null
                                        && extra.generated() == null
                                        ? "; it is NOT NULL without a default, so the application's inserts may fail" : "")),
                (expectedColumn, foundColumn) -> ColumnDrift.compare(drift, wanted, expectedColumn, foundColumn));
        match(ownIndexes(wanted), ownIndexes(found), Index::name,
                missing -> drift.add(Phase.INDEXES, DriftCategory.MISSING_INDEX, childName(wanted, missing.name()),
                        FIXABLE, "index is missing", missing.definition()),
                extra -> drift.add(Phase.INDEXES, DriftCategory.EXTRA_INDEX, childName(wanted, extra.name()), WARNING,
                        "index is not part of the expected schema: " + extra.definition()),
                (expectedIndex, foundIndex) -> {
                    if (!expectedIndex.equals(foundIndex)) {
                        drift.add(Phase.INDEXES, DriftCategory.CHANGED_INDEX, childName(wanted, expectedIndex.name()),
                                WARNING, "index is " + foundIndex.definition() + ", expected " + expectedIndex.definition());
                    }
                });
        match(wanted.constraints(), found.constraints(), Constraint::name,
                missing -> drift.add(missing.isForeignKey() ? Phase.FOREIGN_KEYS : Phase.CONSTRAINTS,
                        DriftCategory.MISSING_CONSTRAINT, childName(wanted, missing.name()), FIXABLE,
                        missing.type() + " constraint is missing", SqlText.addConstraint(wanted, missing)),
                extra -> drift.add(Phase.CONSTRAINTS, DriftCategory.EXTRA_CONSTRAINT, childName(wanted, extra.name()),
                        WARNING, "constraint is not part of the expected schema: " + extra.definition()),
                (expectedConstraint, foundConstraint) -> {
                    if (!expectedConstraint.equals(foundConstraint)) {
                        drift.add(Phase.CONSTRAINTS, DriftCategory.CHANGED_CONSTRAINT,
                                childName(wanted, expectedConstraint.name()), WARNING, "constraint is "
                                        + foundConstraint.definition() + ", expected " + expectedConstraint.definition());
                    }
                });
        match(wanted.triggers(), found.triggers(), Trigger::name,
                missing -> drift.add(Phase.TRIGGERS, DriftCategory.MISSING_TRIGGER, childName(wanted, missing.name()),
                        FIXABLE, "trigger is missing", missing.definition()),
                extra -> drift.add(Phase.TRIGGERS, DriftCategory.EXTRA_TRIGGER, childName(wanted, extra.name()), WARNING,
                        "trigger is not part of the expected schema"),
                (expectedTrigger, foundTrigger) -> {
                    if (!Objects.equals(expectedTrigger, foundTrigger)) {
                        drift.add(Phase.TRIGGERS, DriftCategory.CHANGED_TRIGGER, childName(wanted, expectedTrigger.name()),
                                WARNING, "trigger is " + foundTrigger.definition() + ", expected "
                                        + expectedTrigger.definition());
                    }
                });
    }

    static String columnName(Table table, Column column) {
        return table.name() + "." + column.name();
    }

    /** Indexes, constraints and triggers are named "{name} on {table}". */
    private static String childName(Table table, String name) {
        return name + " on " + table.name();
    }

    /** Indexes that implement a constraint are compared as that constraint. */
    private static java.util.List<Index> ownIndexes(Table table) {
        return table.indexes().stream().filter(index -> index.constraint() == null).toList();
    }
}
