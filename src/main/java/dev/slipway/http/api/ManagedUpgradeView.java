package dev.slipway.http.api;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.FeedPollStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.PlanStatus;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.api.v1alpha1.status.WindowStatus;
import dev.slipway.core.upgrade.UpgradeStep;
import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What the status API tells about one ManagedUpgrade. Built from {@code status} only: never from the spec (which names
 * Secrets and the database), and without the checkpoint internals (saved Ingress, replica counts) of a running upgrade.
 */
@Schema(name = "ManagedUpgrade", description = "The state of one managed application and its upgrades.")
public record ManagedUpgradeView(
        @Schema(description = "Namespace of the ManagedUpgrade.") String namespace,
        @Schema(description = "Name of the ManagedUpgrade.") String name,
        @Schema(description = "Where the application stands: UpToDate, UpdateAvailable, Blocked, WaitingForApproval, "
                + "WaitingForWindow, Upgrading, Paused, Failed, Invalid or Unknown.") String phase,
        @Schema(description = "Version running now.") String currentVersion,
        @Schema(description = "Version the plan leads to, if an upgrade is planned.") String targetVersion,
        @Schema(description = "Newest release on the channel.") String latestVersion,
        @Schema(description = "Newer versions the policy allows.") List<String> availableUpdates,
        @Schema(description = "The planned path, if an upgrade is planned.") Plan plan,
        @Schema(description = "The upgrade in progress or held after a failure; null when none.") Progress progress,
        @Schema(description = "The next maintenance window, if windows are configured.") Window nextWindow,
        @Schema(description = "Outcome of the last poll of the Release API.") FeedPoll lastFeedPoll,
        @Schema(description = "Past upgrades, newest last.") List<History> history) {

    @Schema(name = "Plan", description = "The path from the current to the target version.")
    public record Plan(
            @Schema(description = "Target version.") String target,
            @Schema(description = "Hops in order.") List<Hop> hops,
            @Schema(description = "Digest of the path; an approval that names it holds only while the path is this one.")
            String hash) {
    }

    @Schema(name = "Hop", description = "One version the upgrade passes through.")
    public record Hop(
            @Schema(description = "Version of the hop.") String version,
            @Schema(description = "Why it is a hop: Target, RequiredStop or MinUpgradeFrom.") String reason,
            @Schema(description = "Flyway schema version the hop migrates to.") String schemaVersion) {
    }

    @Schema(name = "Progress", description = "Where a running (or held) upgrade stands.")
    public record Progress(
            @Schema(description = "Version before the upgrade.") String from,
            @Schema(description = "Target version.") String to,
            @Schema(description = "Step in progress or next, with the hop's version for per-hop steps, e.g. \"Migrate 1.2.0\".") String step,
            @Schema(description = "Index of the hop in progress (0-based), as in the resource's status.upgrade.hop.") Integer hop,
            @Schema(description = "Number of hops.") Integer hops,
            @Schema(description = "When the upgrade began.") String startedAt,
            @Schema(description = "When the current step began.") String stepStartedAt,
            @Schema(description = "RolledBack or Failed when the upgrade ended without completing; null while it runs.")
            String result,
            @Schema(description = "What failed; null unless a step failed.") Failure failure) {
    }

    @Schema(name = "Failure", description = "The step that failed and why.")
    public record Failure(
            @Schema(description = "Step that failed.") String step,
            @Schema(description = "Typed failure reason, e.g. MigrationFailed.") String reason,
            @Schema(description = "What failed, for administrators.") String message) {
    }

    @Schema(name = "Window", description = "A maintenance window.")
    public record Window(
            @Schema(description = "Start instant (UTC).") String start,
            @Schema(description = "End instant (UTC).") String end,
            @Schema(description = "Start in the configured time zone.") String startLocal,
            @Schema(description = "End in the configured time zone.") String endLocal) {
    }

    @Schema(name = "FeedPoll", description = "The last poll of the Release API.")
    public record FeedPoll(
            @Schema(description = "When the poll finished.") String at,
            @Schema(description = "Ok, NotModified or Error.") String result,
            @Schema(description = "Why the poll failed; null unless it did.") String message) {
    }

    @Schema(name = "History", description = "A finished upgrade.")
    public record History(
            @Schema(description = "Version before.") String from,
            @Schema(description = "Version after, or attempted.") String to,
            @Schema(description = "Hops taken.") List<String> path,
            @Schema(description = "Start.") String startedAt,
            @Schema(description = "End.") String finishedAt,
            @Schema(description = "Succeeded, RolledBack, Failed or Abandoned.") String result,
            @Schema(description = "Why it started outside a maintenance window, if it did.") String override,
            @Schema(description = "Failure summary.") String message,
            @Schema(description = "Who asked for the start (approval or start-now), when a person did.") String requestedBy,
            @Schema(description = "Steps with their times.") List<Step> steps) {
    }

    @Schema(name = "Step", description = "A step of an upgrade with its times.")
    public record Step(
            @Schema(description = "Step name.") String name,
            @Schema(description = "When it started.") String startedAt,
            @Schema(description = "When it finished.") String finishedAt) {
    }

    public static ManagedUpgradeView of(ManagedUpgrade resource) {
        ManagedUpgradeStatus status = resource.getStatus() == null ? new ManagedUpgradeStatus() : resource.getStatus();
        return new ManagedUpgradeView(resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
                name(status.getPhase()), status.getCurrentVersion(), status.getTargetVersion(), status.getLatestVersion(),
                status.getAvailableUpdates() == null ? List.of() : status.getAvailableUpdates(),
                plan(status.getPlan()), progress(status.getUpgrade()),
                status.getMaintenance() == null ? null : window(status.getMaintenance().nextWindow()),
                feedPoll(status.getLastFeedPoll()), map(status.getHistory(), ManagedUpgradeView::history));
    }

    private static Plan plan(PlanStatus plan) {
        return plan == null ? null : new Plan(plan.target(), map(plan.hops(), ManagedUpgradeView::hop), plan.hash());
    }

    private static Hop hop(HopStatus hop) {
        return new Hop(hop.version(), name(hop.reason()), hop.schemaVersion());
    }

    private static Progress progress(UpgradeProgress upgrade) {
        if (upgrade == null) {
            return null;
        }
        Failure failure = upgrade.getFailedStep() == null && upgrade.getFailureReason() == null ? null
                : new Failure(stepName(upgrade.getFailedStep(), upgrade.getFailedHop(), upgrade.getHops()),
                        name(upgrade.getFailureReason()), upgrade.getFailureMessage());
        return new Progress(upgrade.getFrom(), upgrade.getTo(),
                stepName(upgrade.getStep(), upgrade.getHop(), upgrade.getHops()), upgrade.getHop(),
                upgrade.getHops() == null ? null : upgrade.getHops().size(),
                upgrade.getStartedAt(), upgrade.getStepStartedAt(), name(upgrade.getResult()), failure);
    }

    /** The step as status records show it: per-hop steps name their hop's version. */
    private static String stepName(UpgradeStep step, Integer hop, List<HopStatus> hops) {
        if (step == null) {
            return null;
        }
        boolean known = step.perHop() && hop != null && hops != null && hop >= 0 && hop < hops.size();
        return known ? step + " " + hops.get(hop).version() : step.name();
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static Window window(WindowStatus window) {
        return window == null ? null
                : new Window(window.start(), window.end(), window.startLocal(), window.endLocal());
    }

    private static FeedPoll feedPoll(FeedPollStatus poll) {
        return poll == null ? null : new FeedPoll(poll.at(), poll.result(), poll.message());
    }

    private static History history(HistoryEntry entry) {
        return new History(entry.from(), entry.to(), entry.path(), entry.startedAt(), entry.finishedAt(),
                name(entry.result()), entry.override(), entry.message(), entry.requestedBy(),
                map(entry.steps(), ManagedUpgradeView::step));
    }

    private static Step step(StepRecord step) {
        return new Step(step.name(), step.startedAt(), step.finishedAt());
    }

    private static <S, T> List<T> map(List<S> items, Function<S, T> view) {
        return items == null ? List.of() : items.stream().map(view).toList();
    }
}
