package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.core.upgrade.UpgradeResult;
import java.util.List;

/** A finished upgrade. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEntry(
        @JsonPropertyDescription("Version before.") String from,
        @JsonPropertyDescription("Version after (or attempted).") String to,
        @JsonPropertyDescription("Hops taken.") List<String> path,
        @JsonPropertyDescription("Start.") String startedAt,
        @JsonPropertyDescription("End.") String finishedAt,
        @JsonPropertyDescription("How it ended.") UpgradeResult result,
        @JsonPropertyDescription("Override used to start, if any.") String override,
        @JsonPropertyDescription("Failure summary.") String message,
        @JsonPropertyDescription("Drift fixes applied in preflight (spec.database.autoFix).") List<String> appliedFixes,
        @JsonPropertyDescription("Steps with their times.") List<StepRecord> steps,
        @JsonPropertyDescription("The backup taken before the first migration, if one was.") BackupStatus backup,
        @JsonPropertyDescription("Who asked for the start (approval or start-now), when a person did.") String requestedBy) {

    /** An entry of an upgrade that took no backup. */
    public HistoryEntry(String from, String to, List<String> path, String startedAt, String finishedAt,
            UpgradeResult result, String override, String message, List<String> appliedFixes, List<StepRecord> steps) {
        this(from, to, path, startedAt, finishedAt, result, override, message, appliedFixes, steps, null, null);
    }
}
