package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** A finished upgrade. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistoryEntry {

    @JsonPropertyDescription("Version before.")
    private String from;

    @JsonPropertyDescription("Version after (or attempted).")
    private String to;

    @JsonPropertyDescription("Hops taken.")
    private List<String> path;

    @JsonPropertyDescription("Start.")
    private String startedAt;

    @JsonPropertyDescription("End.")
    private String finishedAt;

    @JsonPropertyDescription("Succeeded, RolledBack, Failed or Abandoned.")
    private String result;

    @JsonPropertyDescription("Override used to start, if any.")
    private String override;

    @JsonPropertyDescription("Failure summary.")
    private String message;

    @JsonPropertyDescription("Drift fixes applied in preflight (spec.database.autoFix).")
    private List<String> appliedFixes;

    @JsonPropertyDescription("Steps with their times.")
    private List<StepRecord> steps;

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public List<String> getPath() {
        return path;
    }

    public void setPath(List<String> path) {
        this.path = path;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getFinishedAt() {
        return finishedAt;
    }

    public void setFinishedAt(String finishedAt) {
        this.finishedAt = finishedAt;
    }

    public String getResult() {
        return result;
    }

    public void setResult(String result) {
        this.result = result;
    }

    public String getOverride() {
        return override;
    }

    public void setOverride(String override) {
        this.override = override;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public List<String> getAppliedFixes() {
        return appliedFixes;
    }

    public void setAppliedFixes(List<String> appliedFixes) {
        this.appliedFixes = appliedFixes;
    }

    public List<StepRecord> getSteps() {
        return steps;
    }

    public void setSteps(List<StepRecord> steps) {
        this.steps = steps;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HistoryEntry other)) {
            return false;
        }
        return Objects.equals(from, other.from)
            && Objects.equals(to, other.to)
            && Objects.equals(path, other.path)
            && Objects.equals(startedAt, other.startedAt)
            && Objects.equals(finishedAt, other.finishedAt)
            && Objects.equals(result, other.result)
            && Objects.equals(override, other.override)
            && Objects.equals(message, other.message)
            && Objects.equals(appliedFixes, other.appliedFixes)
            && Objects.equals(steps, other.steps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, path, startedAt, finishedAt, result, override, message, appliedFixes, steps);
    }
}
