package dev.slipway.core.schema;

import static dev.slipway.core.schema.Severity.BLOCKING;
import static dev.slipway.core.schema.Severity.FIXABLE;
import static dev.slipway.core.schema.Severity.WARNING;

import dev.slipway.core.schema.DriftCollector.Phase;
import dev.slipway.core.schema.Table.Column;
import java.util.Objects;

/** Differences of a column present on both sides, in the order their fixes must run (NOT NULL before identity). */
final class ColumnDrift {

    private ColumnDrift() {
    }

    static void compare(DriftCollector drift, Table table, Column wanted, Column found) {
        String object = TableDrift.columnName(table, wanted);
        if (!wanted.type().equals(found.type())) {
            drift.add(Phase.TABLES, DriftCategory.COLUMN_TYPE, object, BLOCKING,
                    "type is " + found.type() + ", expected " + wanted.type()
                            + "; converting it may fail or lose data, so no statement is suggested");
        }
        if (!Objects.equals(wanted.generated(), found.generated())) {
            drift.add(Phase.TABLES, DriftCategory.COLUMN_GENERATED, object, BLOCKING,
                    "generated as " + describe(found.generated()) + ", expected " + describe(wanted.generated()));
        }
        compareNullability(drift, table, wanted, found, object);
        compareIdentity(drift, table, wanted, found, object);
        compareDefault(drift, table, wanted, found, object);
    }

    private static void compareNullability(DriftCollector drift, Table table, Column wanted, Column found, String object) {
        if (wanted.nullable() == found.nullable()) {
            return;
        }
        if (wanted.nullable()) {
            drift.add(Phase.TABLES, DriftCategory.COLUMN_NULLABILITY, object, WARNING,
                    "column is NOT NULL, expected nullable; the application's inserts without it may fail",
                    SqlText.alterColumn(table, wanted, "DROP NOT NULL"));
        } else {
            drift.add(Phase.TABLES, DriftCategory.COLUMN_NULLABILITY, object, FIXABLE,
                    "column is nullable, expected NOT NULL", SqlText.alterColumn(table, wanted, "SET NOT NULL"));
        }
    }

    private static void compareIdentity(DriftCollector drift, Table table, Column wanted, Column found, String object) {
        if (Objects.equals(wanted.identity(), found.identity())) {
            return;
        }
        if (wanted.identity() == null) {
            drift.add(Phase.TABLES, DriftCategory.COLUMN_IDENTITY, object, WARNING,
                    "column is GENERATED " + found.identity() + " AS IDENTITY, expected no identity");
        } else if (found.identity() != null) {
            drift.add(Phase.TABLES, DriftCategory.COLUMN_IDENTITY, object, BLOCKING,
                    "column is GENERATED " + found.identity() + " AS IDENTITY, expected GENERATED " + wanted.identity(),
                    SqlText.alterColumn(table, wanted, "SET GENERATED " + wanted.identity()));
        } else if (found.defaultExpression() == null) {
            // The new identity must continue after the existing rows, or the next insert collides.
            drift.add(Phase.TABLES, DriftCategory.COLUMN_IDENTITY, object, BLOCKING,
                    "column is not an identity column, expected GENERATED " + wanted.identity() + " AS IDENTITY",
                    SqlText.alterColumn(table, wanted, "ADD GENERATED " + wanted.identity() + " AS IDENTITY"),
                    "SELECT setval(pg_get_serial_sequence(" + SqlText.literal(table.name()) + ", "
                            + SqlText.literal(wanted.name()) + "), coalesce(max(" + wanted.name() + "), 0) + 1, false) FROM "
                            + table.name());
        } else {
            drift.add(Phase.TABLES, DriftCategory.COLUMN_IDENTITY, object, BLOCKING,
                    "column has the default " + found.defaultExpression() + ", expected GENERATED " + wanted.identity()
                            + " AS IDENTITY");
        }
    }

    private static void compareDefault(DriftCollector drift, Table table, Column wanted, Column found, String object) {
        if (Objects.equals(wanted.defaultExpression(), found.defaultExpression())
                || wanted.identity() != null && found.identity() == null) {
            return; // equal, or the identity finding covers it
        }
        if (wanted.defaultExpression() != null) {
            drift.add(Phase.TABLES, DriftCategory.COLUMN_DEFAULT, object, FIXABLE,
                    found.defaultExpression() == null ? "column has no default, expected " + wanted.defaultExpression()
                            : "column default is " + found.defaultExpression() + ", expected " + wanted.defaultExpression(),
                    SqlText.alterColumn(table, wanted, "SET DEFAULT " + wanted.defaultExpression()));
        } else if (wanted.generated() == null && found.generated() == null) {
            drift.add(Phase.TABLES, DriftCategory.COLUMN_DEFAULT, object, WARNING,
                    "column has the default " + found.defaultExpression() + ", expected none",
                    SqlText.alterColumn(table, wanted, "DROP DEFAULT"));
        }
    }

    private static String describe(String generated) {
        return generated == null ? "nothing (an ordinary column)" : "(" + generated + ")";
    }
}
