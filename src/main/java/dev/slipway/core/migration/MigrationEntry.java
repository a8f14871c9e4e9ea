package dev.slipway.core.migration;

/** One migration script: its schema version ({@code 3} for {@code V3__add_orders.sql}), description and file name. */
public record MigrationEntry(String version, String description, String script) {

    /** "3 (add orders)": how a migration is named in messages. */
    public String label() {
        return version + " (" + description + ")";
    }
}
