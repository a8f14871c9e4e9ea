package dev.slipway.core.schema;

import java.util.ArrayList;
import java.util.List;

/** The SQL text of suggested statements. Names in a snapshot are already quoted where needed. */
final class SqlText {

    private SqlText() {
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    static String columnDefinition(Table.Column column) {
        StringBuilder definition = new StringBuilder(column.name()).append(' ').append(column.type());
        if (column.generated() != null) {
            definition.append(" GENERATED ALWAYS AS (").append(column.generated()).append(") STORED");
        }
        if (column.identity() != null) {
            definition.append(" GENERATED ").append(column.identity()).append(" AS IDENTITY");
        }
        if (column.defaultExpression() != null) {
            definition.append(" DEFAULT ").append(column.defaultExpression());
        }
        if (!column.nullable()) {
            definition.append(" NOT NULL");
        }
        return definition.toString();
    }

    /** The table, its non-foreign-key constraints and its own indexes (foreign keys and triggers come later). */
    static List<String> createTable(Table table) {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE TABLE " + table.name() + " (\n    "
                + String.join(",\n    ", table.columns().stream().map(SqlText::columnDefinition).toList()) + "\n)");
        table.constraints().stream().filter(constraint -> !constraint.isForeignKey())
                .map(constraint -> addConstraint(table, constraint)).forEach(statements::add);
        table.indexes().stream().filter(index -> index.constraint() == null).map(Table.Index::definition)
                .forEach(statements::add);
        return statements;
    }

    static String addConstraint(Table table, Table.Constraint constraint) {
        return "ALTER TABLE " + table.name() + " ADD CONSTRAINT " + constraint.name() + " " + constraint.definition();
    }

    static String alterColumn(Table table, Table.Column column, String change) {
        return "ALTER TABLE " + table.name() + " ALTER COLUMN " + column.name() + " " + change;
    }

    static String sequenceOptions(SchemaSnapshot.Sequence sequence) {
        return "AS " + sequence.dataType() + " INCREMENT BY " + sequence.increment() + " MINVALUE " + sequence.minimum()
                + " MAXVALUE " + sequence.maximum() + " START WITH " + sequence.start()
                + (sequence.cycle() ? " CYCLE" : " NO CYCLE");
    }
}
