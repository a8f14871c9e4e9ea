package dev.slipway.core.schema;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What kind of difference a drift finding is; serialised in kebab case ({@code missing-index}). */
public enum DriftCategory {
    MISSING_EXTENSION, EXTRA_EXTENSION, CHANGED_EXTENSION,
    MISSING_ENUM, EXTRA_ENUM, ENUM_MISSING_LABELS, ENUM_EXTRA_LABELS, ENUM_LABEL_ORDER,
    MISSING_FUNCTION, EXTRA_FUNCTION, CHANGED_FUNCTION,
    MISSING_SEQUENCE, EXTRA_SEQUENCE, CHANGED_SEQUENCE,
    MISSING_TABLE, EXTRA_TABLE,
    MISSING_COLUMN, EXTRA_COLUMN, COLUMN_TYPE, COLUMN_NULLABILITY, COLUMN_DEFAULT, COLUMN_IDENTITY, COLUMN_GENERATED,
    MISSING_INDEX, EXTRA_INDEX, CHANGED_INDEX,
    MISSING_CONSTRAINT, EXTRA_CONSTRAINT, CHANGED_CONSTRAINT,
    MISSING_TRIGGER, EXTRA_TRIGGER, CHANGED_TRIGGER,
    MISSING_VIEW, EXTRA_VIEW, CHANGED_VIEW;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
