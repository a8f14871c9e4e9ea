package dev.slipway.core.schema;

import com.fasterxml.jackson.annotation.JsonValue;

/** How much a drift finding matters to an upgrade. */
public enum Severity {
    /** A migration would fail or corrupt data: the upgrade must not start. */
    BLOCKING("Blocking"),
    /** An additive statement restores the expected state; {@code drift --fix} and {@code autoFix} apply it. */
    FIXABLE("Fixable"),
    /** Different, but it neither blocks a migration nor has a safe automatic fix (e.g. an admin's extra index). */
    WARNING("Warning");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
