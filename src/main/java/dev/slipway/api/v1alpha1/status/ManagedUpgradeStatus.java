package dev.slipway.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of the managed application and its upgrades. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ManagedUpgradeStatus {

    @JsonPropertyDescription("Generation of the spec last acted on.")
    private Long observedGeneration;

    @JsonPropertyDescription("Where the application stands, in one word.")
    private Phase phase;

    @JsonPropertyDescription("Version running now.")
    private String currentVersion;

    @JsonPropertyDescription("Newest release on the channel.")
    private String latestVersion;

    @JsonPropertyDescription("Version the plan leads to.")
    private String targetVersion;

    @JsonPropertyDescription("Usable newer versions allowed by the policy.")
    private List<String> availableUpdates;

    @JsonPropertyDescription("Path from the current to the target version.")
    private PlanStatus plan;

    @JsonPropertyDescription("Outcome of the last poll of the Release API.")
    private FeedPollStatus lastFeedPoll;

    @JsonPropertyDescription("Evaluation of the maintenance windows.")
    private MaintenanceStatus maintenance;

    @JsonPropertyDescription("Outcome of the last database verification.")
    private DatabaseStatus database;

    @JsonPropertyDescription("Checkpoint of the upgrade in progress.")
    private UpgradeProgress upgrade;

    @JsonPropertyDescription("Conditions with reason and message.")
    private List<Condition> conditions;

    @JsonPropertyDescription("Past upgrades, newest last (bounded).")
    private List<HistoryEntry> history;

    @JsonPropertyDescription("The spec.actions values already acted on, so each is acted on once.")
    private ActionsSpec handledActions;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Phase getPhase() {
        return phase;
    }

    public void setPhase(Phase phase) {
        this.phase = phase;
    }

    public String getCurrentVersion() {
        return currentVersion;
    }

    public void setCurrentVersion(String currentVersion) {
        this.currentVersion = currentVersion;
    }

    public String getLatestVersion() {
        return latestVersion;
    }

    public void setLatestVersion(String latestVersion) {
        this.latestVersion = latestVersion;
    }

    public String getTargetVersion() {
        return targetVersion;
    }

    public void setTargetVersion(String targetVersion) {
        this.targetVersion = targetVersion;
    }

    public List<String> getAvailableUpdates() {
        return availableUpdates;
    }

    public void setAvailableUpdates(List<String> availableUpdates) {
        this.availableUpdates = availableUpdates;
    }

    public PlanStatus getPlan() {
        return plan;
    }

    public void setPlan(PlanStatus plan) {
        this.plan = plan;
    }

    public FeedPollStatus getLastFeedPoll() {
        return lastFeedPoll;
    }

    public void setLastFeedPoll(FeedPollStatus lastFeedPoll) {
        this.lastFeedPoll = lastFeedPoll;
    }

    public MaintenanceStatus getMaintenance() {
        return maintenance;
    }

    public void setMaintenance(MaintenanceStatus maintenance) {
        this.maintenance = maintenance;
    }

    public DatabaseStatus getDatabase() {
        return database;
    }

    public void setDatabase(DatabaseStatus database) {
        this.database = database;
    }

    public UpgradeProgress getUpgrade() {
        return upgrade;
    }

    public void setUpgrade(UpgradeProgress upgrade) {
        this.upgrade = upgrade;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public List<HistoryEntry> getHistory() {
        return history;
    }

    public void setHistory(List<HistoryEntry> history) {
        this.history = history;
    }

    public ActionsSpec getHandledActions() {
        return handledActions;
    }

    public void setHandledActions(ActionsSpec handledActions) {
        this.handledActions = handledActions;
    }
}
