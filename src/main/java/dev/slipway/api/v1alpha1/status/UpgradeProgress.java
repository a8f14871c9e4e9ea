package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import java.util.List;

/** Checkpoint of the upgrade in progress; enough to resume after a crash. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpgradeProgress {

    @JsonPropertyDescription("Version before the upgrade.")
    private String from;

    @JsonPropertyDescription("Target version.")
    private String to;

    @JsonPropertyDescription("Hops of this upgrade.")
    private List<HopStatus> hops;

    @JsonPropertyDescription("Step in progress or next.")
    private UpgradeStep step;

    @JsonPropertyDescription("Index of the hop in progress (0-based).")
    private Integer hop;

    @JsonPropertyDescription("When the current step began.")
    private String stepStartedAt;

    @JsonPropertyDescription("When the quiesce step first saw no application Pod left; the session drain timeout "
            + "(spec.database.sessionDrainTimeout) counts from here.")
    private String podsGoneAt;

    @JsonPropertyDescription("When the upgrade began.")
    private String startedAt;

    @JsonPropertyDescription("Why the upgrade started outside the window, if it did.")
    private String override;

    @JsonPropertyDescription("Who asked for the start (approval or start-now), from the slipway.dev/requested-by annotation the CLI and the console write; absent when the policy started it.")
    private String requestedBy;

    @JsonPropertyDescription("Step that failed.")
    private UpgradeStep failedStep;

    @JsonPropertyDescription("Index of the hop (0-based) of the step that failed.")
    private Integer failedHop;

    @JsonPropertyDescription("Why the step failed.")
    private UpgradeFailure failureReason;

    @JsonPropertyDescription("What failed, for administrators.")
    private String failureMessage;

    @JsonPropertyDescription("Set when the upgrade ended without completing: RolledBack (waiting for a retry) or Failed (held behind the maintenance page).")
    private UpgradeResult result;

    @JsonPropertyDescription("Drift fixes applied in preflight (spec.database.autoFix).")
    private List<String> appliedFixes;

    @JsonPropertyDescription("Whether a hop's migrations have committed (rollback no longer possible).")
    private Boolean committed;

    @JsonPropertyDescription("The Ingress spec before the swap, as JSON.")
    private String originalIngress;

    @JsonPropertyDescription("The Ingress annotations the swap changed, as JSON: name to value before the swap (null: it had none).")
    private String originalIngressAnnotations;

    @JsonPropertyDescription("When RestoreTraffic put the Ingress back; the page is scaled down spec.maintenancePage.drainAfterRestore later.")
    private String trafficRestoredAt;

    @JsonPropertyDescription("Replicas each component had before quiescing.")
    private List<ReplicaRecord> replicas;

    @JsonPropertyDescription("The backup taken before the first migration (spec.database.backup), as planned when the "
            + "upgrade began.")
    private BackupStatus backup;

    @JsonPropertyDescription("Steps completed so far.")
    private List<StepRecord> steps;

    @JsonPropertyDescription("True when this run is an explicit restore (spec.actions.restore): from is the version "
            + "restored away from, to the backup's version, and the steps are PageUp, SwapTraffic, Quiesce, Restore, "
            + "RollImages, Resume, RestoreTraffic, Record.")
    private Boolean explicitRestore;

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

    public List<HopStatus> getHops() {
        return hops;
    }

    public void setHops(List<HopStatus> hops) {
        this.hops = hops;
    }

    public UpgradeStep getStep() {
        return step;
    }

    public void setStep(UpgradeStep step) {
        this.step = step;
    }

    public Integer getHop() {
        return hop;
    }

    public void setHop(Integer hop) {
        this.hop = hop;
    }

    public String getStepStartedAt() {
        return stepStartedAt;
    }

    public void setStepStartedAt(String stepStartedAt) {
        this.stepStartedAt = stepStartedAt;
    }

    public String getPodsGoneAt() {
        return podsGoneAt;
    }

    public void setPodsGoneAt(String podsGoneAt) {
        this.podsGoneAt = podsGoneAt;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getOverride() {
        return override;
    }

    public void setOverride(String override) {
        this.override = override;
    }

    public String getRequestedBy() {
        return requestedBy;
    }

    public void setRequestedBy(String requestedBy) {
        this.requestedBy = requestedBy;
    }

    public UpgradeStep getFailedStep() {
        return failedStep;
    }

    public void setFailedStep(UpgradeStep failedStep) {
        this.failedStep = failedStep;
    }

    public Integer getFailedHop() {
        return failedHop;
    }

    public void setFailedHop(Integer failedHop) {
        this.failedHop = failedHop;
    }

    public UpgradeFailure getFailureReason() {
        return failureReason;
    }

    public void setFailureReason(UpgradeFailure failureReason) {
        this.failureReason = failureReason;
    }

    public String getFailureMessage() {
        return failureMessage;
    }

    public void setFailureMessage(String failureMessage) {
        this.failureMessage = failureMessage;
    }

    public UpgradeResult getResult() {
        return result;
    }

    public void setResult(UpgradeResult result) {
        this.result = result;
    }

    public List<String> getAppliedFixes() {
        return appliedFixes;
    }

    public void setAppliedFixes(List<String> appliedFixes) {
        this.appliedFixes = appliedFixes;
    }

    public Boolean getCommitted() {
        return committed;
    }

    public void setCommitted(Boolean committed) {
        this.committed = committed;
    }

    public String getOriginalIngress() {
        return originalIngress;
    }

    public void setOriginalIngress(String originalIngress) {
        this.originalIngress = originalIngress;
    }

    public String getOriginalIngressAnnotations() {
        return originalIngressAnnotations;
    }

    public void setOriginalIngressAnnotations(String originalIngressAnnotations) {
        this.originalIngressAnnotations = originalIngressAnnotations;
    }

    public String getTrafficRestoredAt() {
        return trafficRestoredAt;
    }

    public void setTrafficRestoredAt(String trafficRestoredAt) {
        this.trafficRestoredAt = trafficRestoredAt;
    }

    public List<ReplicaRecord> getReplicas() {
        return replicas;
    }

    public void setReplicas(List<ReplicaRecord> replicas) {
        this.replicas = replicas;
    }

    public List<StepRecord> getSteps() {
        return steps;
    }

    public void setSteps(List<StepRecord> steps) {
        this.steps = steps;
    }

    public Boolean getExplicitRestore() {
        return explicitRestore;
    }

    public void setExplicitRestore(Boolean explicitRestore) {
        this.explicitRestore = explicitRestore;
    }

    public BackupStatus getBackup() {
        return backup;
    }

    public void setBackup(BackupStatus backup) {
        this.backup = backup;
    }
}
