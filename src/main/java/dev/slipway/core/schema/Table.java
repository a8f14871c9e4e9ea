package dev.slipway.core.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A table (or partitioned table) and everything that hangs off it. Child names are unqualified. */
public record Table(String name, List<Column> columns, List<Index> indexes, List<Constraint> constraints,
        List<Trigger> triggers) {

    public Table {
        columns = SchemaSnapshot.sorted(columns, Column::name);
        indexes = SchemaSnapshot.sorted(indexes, Index::name);
        constraints = SchemaSnapshot.sorted(constraints, Constraint::name);
        triggers = SchemaSnapshot.sorted(triggers, Trigger::name);
    }

    /**
     * A column. {@code identity} is {@code ALWAYS}, {@code BY DEFAULT} or absent; {@code generated} is the expression of
     * a stored generated column (then there is no default).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Column(String name, String type, boolean nullable, String defaultExpression, String identity,
            String generated) {
    }

    /** An index; {@code constraint} names the constraint it implements (primary key, unique, exclusion), if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Index(String name, String definition, boolean unique, boolean primary, String constraint) {
    }

    /** A constraint: {@code type} is PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK or EXCLUDE. */
    public record Constraint(String name, String type, String definition) {
        @JsonIgnore
        public boolean isForeignKey() {
            return "FOREIGN KEY".equals(type);
        }
    }

    /** A user trigger and its {@code CREATE TRIGGER} text. */
    public record Trigger(String name, String definition) {
    }
}
