package dev.slipway.core.migration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * A database's migration history held against a bundle of migration files.
 *
 * @param currentVersion   the highest successfully applied schema version, or null on an empty database
 * @param applied          successfully applied migrations, in order
 * @param pending          migrations in the bundle not applied yet
 * @param failed           migrations recorded as failed (a non-transactional migration broke halfway)
 * @param checksumMismatch applied migrations whose file has changed since
 * @param unknownApplied   applied migrations the bundle does not contain (the database is ahead, or another app)
 */
public record MigrationStatus(String currentVersion, List<MigrationEntry> applied, List<MigrationEntry> pending,
        List<MigrationEntry> failed, List<MigrationEntry> checksumMismatch, List<MigrationEntry> unknownApplied) {

    public MigrationStatus {
        applied = List.copyOf(applied);
        pending = List.copyOf(pending);
        failed = List.copyOf(failed);
        checksumMismatch = List.copyOf(checksumMismatch);
        unknownApplied = List.copyOf(unknownApplied);
    }

    /** No failed, changed or unknown migrations: Flyway would accept this history (pending ones are fine). */
    @JsonIgnore
    public boolean isValid() {
        return failed.isEmpty() && checksumMismatch.isEmpty() && unknownApplied.isEmpty();
    }

    /** What is wrong with the history, one phrase per kind of problem; empty when {@link #isValid()}. */
    @JsonIgnore
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        describe(problems, "failed", failed);
        describe(problems, "changed since applied (checksum mismatch)", checksumMismatch);
        describe(problems, "applied but not in the migration files", unknownApplied);
        return problems;
    }

    private static void describe(List<String> problems, String what, List<MigrationEntry> migrations) {
        if (!migrations.isEmpty()) {
            problems.add(what + ": " + String.join(", ", migrations.stream().map(MigrationEntry::label).toList()));
        }
    }
}
