package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/** Maintenance window evaluation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceStatus {

    @JsonPropertyDescription("When an evaluation last changed this status (one that changes nothing is not written).")
    private String evaluatedAt;

    @JsonPropertyDescription("Whether now lies in a window.")
    private Boolean inWindow;

    @JsonPropertyDescription("Whether an upgrade may start now.")
    private Boolean canStartNow;

    @JsonPropertyDescription("InWindow, OutsideWindow, Excluded, InsufficientRemainingWindow, NoFutureWindow or NotConfigured.")
    private String reason;

    @JsonPropertyDescription("The window now open.")
    private WindowStatus currentWindow;

    @JsonPropertyDescription("The next window.")
    private WindowStatus nextWindow;

    @JsonPropertyDescription("Earliest instant an upgrade may start.")
    private String nextEligibleStart;

    @JsonPropertyDescription("Time zone database version used.")
    private String tzdbVersion;

    @JsonPropertyDescription("Warnings about the window configuration.")
    private List<String> warnings;

    public String getEvaluatedAt() {
        return evaluatedAt;
    }

    public void setEvaluatedAt(String evaluatedAt) {
        this.evaluatedAt = evaluatedAt;
    }

    public Boolean getInWindow() {
        return inWindow;
    }

    public void setInWindow(Boolean inWindow) {
        this.inWindow = inWindow;
    }

    public Boolean getCanStartNow() {
        return canStartNow;
    }

    public void setCanStartNow(Boolean canStartNow) {
        this.canStartNow = canStartNow;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public WindowStatus getCurrentWindow() {
        return currentWindow;
    }

    public void setCurrentWindow(WindowStatus currentWindow) {
        this.currentWindow = currentWindow;
    }

    public WindowStatus getNextWindow() {
        return nextWindow;
    }

    public void setNextWindow(WindowStatus nextWindow) {
        this.nextWindow = nextWindow;
    }

    public String getNextEligibleStart() {
        return nextEligibleStart;
    }

    public void setNextEligibleStart(String nextEligibleStart) {
        this.nextEligibleStart = nextEligibleStart;
    }

    public String getTzdbVersion() {
        return tzdbVersion;
    }

    public void setTzdbVersion(String tzdbVersion) {
        this.tzdbVersion = tzdbVersion;
    }

    public List<String> getWarnings() {
        return warnings;
    }

    public void setWarnings(List<String> warnings) {
        this.warnings = warnings;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MaintenanceStatus other)) {
            return false;
        }
        return Objects.equals(evaluatedAt, other.evaluatedAt)
            && Objects.equals(inWindow, other.inWindow)
            && Objects.equals(canStartNow, other.canStartNow)
            && Objects.equals(reason, other.reason)
            && Objects.equals(currentWindow, other.currentWindow)
            && Objects.equals(nextWindow, other.nextWindow)
            && Objects.equals(nextEligibleStart, other.nextEligibleStart)
            && Objects.equals(tzdbVersion, other.tzdbVersion)
            && Objects.equals(warnings, other.warnings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(evaluatedAt, inWindow, canStartNow, reason, currentWindow, nextWindow, nextEligibleStart, tzdbVersion, warnings);
    }
}
