package dev.slipway.cli;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.api.v1alpha1.spec.PolicySpec;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.MaintenanceStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.kubernetes.upgrade.UpgradeTimeline;
import java.util.List;
import java.util.Objects;
import org.semver4j.Semver;

/**
 * What {@code slipway status} shows of one ManagedUpgrade, read from its spec and the status the operator wrote
 * (nothing is computed anew): the JSON output as it is, and the model the text is rendered from.
 */
record StatusView(String namespace, String name, String phase, String currentVersion, String latestVersion,
        String targetVersion, List<Hop> hops, boolean install, List<String> availableUpdates, ApprovalState approval, boolean paused,
        boolean startNowPending, Window window, Progress progress, Failure lastFailure, List<ConditionState> conditions,
        Long generation, Long observedGeneration, boolean deleting) {

    /** A hop of the plan and why the path goes through it. */
    record Hop(String version, String reason, String schemaVersion) {
    }

    /** {@code spec.policy}: approval mode, the approved and the pinned version, and whether the target is approved. */
    record ApprovalState(String mode, String approvedVersion, boolean targetApproved, String pinnedVersion) {
        boolean manual() {
            return Approval.Manual.name().equals(mode);
        }
    }

    /** {@code status.maintenance} with the zone of {@code spec.maintenance.timeZone}. */
    record Window(String reason, Boolean canStartNow, String nextEligibleStart, String currentWindowEnd,
            String nextWindowStart, String nextWindowEnd, String timeZone) {
    }

    /** The running (or ended, not yet cleared) upgrade: step {@code index} of {@code of}. */
    record Progress(String from, String to, String step, Integer hop, Integer index, Integer of, String label,
            String stepStartedAt, String startedAt, String override, boolean committed, String result) {
    }

    /** The failure of the current attempt, else of the last upgrade that did not succeed. */
    record Failure(String result, String from, String to, String step, String reason, String message, String at) {
    }

    /** A condition as the operator wrote it. */
    record ConditionState(String type, String status, String reason, String message, String since) {
    }

    static StatusView of(ManagedUpgrade resource) {
        ManagedUpgradeStatus status = resource.getStatus() == null ? new ManagedUpgradeStatus() : resource.getStatus();
        PolicySpec policy = resource.getSpec().getPolicy() == null ? new PolicySpec() : resource.getSpec().getPolicy();
        List<Hop> hops = status.getPlan() == null || status.getPlan().hops() == null ? List.of()
                : status.getPlan().hops().stream().map(StatusView::hop).toList();
        return new StatusView(resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
                status.getPhase() == null ? null : status.getPhase().name(), status.getCurrentVersion(),
                status.getLatestVersion(), status.getTargetVersion(), hops,
                status.getPlan() != null && Boolean.TRUE.equals(status.getPlan().install()),
                status.getAvailableUpdates() == null ? List.of() : status.getAvailableUpdates(),
                approval(policy, status.getTargetVersion()), Boolean.TRUE.equals(policy.getPaused()),
                startNowPending(resource, status), window(resource, status.getMaintenance()),
                progress(status.getUpgrade()), lastFailure(status), conditions(status),
                resource.getMetadata().getGeneration(), status.getObservedGeneration(),
                resource.getMetadata().getDeletionTimestamp() != null);
    }

    /** Whether the operator has not yet acted on the latest spec. */
    boolean statusBehindSpec() {
        return generation != null && observedGeneration != null && observedGeneration < generation;
    }

    /** An upgrade is running or paused between steps (not ended). */
    boolean upgradeInProgress() {
        return progress != null && progress.result() == null;
    }

    String qualifiedName() {
        return namespace + "/" + name;
    }

    /** Whether two versions are the same release, compared as the reconciler compares approvedVersion with the target. */
    static boolean sameVersion(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        Semver left = Semver.parse(a);
        Semver right = Semver.parse(b);
        return left != null && right != null ? left.compareTo(right) == 0 : a.equals(b);
    }

    private static Hop hop(HopStatus hop) {
        return new Hop(hop.version(), hop.reason() == null ? null : hop.reason().name(), hop.schemaVersion());
    }

    private static ApprovalState approval(PolicySpec policy, String target) {
        Approval mode = policy.getApproval() == null ? Approval.Automatic : policy.getApproval();
        return new ApprovalState(mode.name(), policy.getApprovedVersion(),
                sameVersion(policy.getApprovedVersion(), target), policy.getVersion());
    }

    /** As AdminActions.startNowRequested: a spec.actions.startNow value not acted on yet. */
    private static boolean startNowPending(ManagedUpgrade resource, ManagedUpgradeStatus status) {
        ActionsSpec actions = resource.getSpec().getActions();
        String handled = status.getHandledActions() == null ? null : status.getHandledActions().getStartNow();
        return actions != null && actions.getStartNow() != null && !actions.getStartNow().equals(handled);
    }

    private static Window window(ManagedUpgrade resource, MaintenanceStatus maintenance) {
        if (maintenance == null) {
            return null;
        }
        String zone = resource.getSpec().getMaintenance() == null ? null
                : resource.getSpec().getMaintenance().getTimeZone();
        return new Window(maintenance.reason(), maintenance.canStartNow(), maintenance.nextEligibleStart(),
                maintenance.currentWindow() == null ? null : maintenance.currentWindow().end(),
                maintenance.nextWindow() == null ? null : maintenance.nextWindow().start(),
                maintenance.nextWindow() == null ? null : maintenance.nextWindow().end(), zone);
    }

    private static Progress progress(UpgradeProgress upgrade) {
        if (upgrade == null) {
            return null;
        }
        List<HopStatus> hops = upgrade.getHops() == null ? List.of() : upgrade.getHops();
        Integer index = null;
        Integer of = null;
        String label = null;
        if (upgrade.getStep() != null && !hops.isEmpty()) {
            Position current = new Position(upgrade.getStep(), upgrade.getHop() == null ? 0 : upgrade.getHop());
            List<Position> plan = UpgradeTimeline.positions(upgrade);
            for (int i = 0; i < plan.size(); i++) {
                if (samePlace(plan.get(i), current)) {
                    index = i + 1;
                }
            }
            of = index == null ? null : plan.size();
            label = UpgradeTimeline.label(current, hops);
        }
        return new Progress(upgrade.getFrom(), upgrade.getTo(),
                upgrade.getStep() == null ? null : upgrade.getStep().name(), upgrade.getHop(), index, of, label,
                upgrade.getStepStartedAt(), upgrade.getStartedAt(), upgrade.getOverride(),
                Boolean.TRUE.equals(upgrade.getCommitted()),
                upgrade.getResult() == null ? null : upgrade.getResult().name());
    }

    /** Per-hop steps are told apart by their hop, the others by the step alone (as the page's timeline does). */
    private static boolean samePlace(Position a, Position b) {
        return a.step() == b.step() && Objects.equals(a.recordedHop(), b.recordedHop());
    }

    private static Failure lastFailure(ManagedUpgradeStatus status) {
        UpgradeProgress upgrade = status.getUpgrade();
        if (upgrade != null && upgrade.getFailedStep() != null) {
            return new Failure(upgrade.getResult() == null ? null : upgrade.getResult().name(), upgrade.getFrom(),
                    upgrade.getTo(), stepName(upgrade.getFailedStep(), upgrade.getFailedHop(), upgrade.getHops()),
                    upgrade.getFailureReason() == null ? null : upgrade.getFailureReason().name(),
                    upgrade.getFailureMessage(), upgrade.getStepStartedAt());
        }
        if (status.getHistory() == null) {
            return null;
        }
        return status.getHistory().stream().filter(entry -> entry.result() != UpgradeResult.Succeeded)
                .reduce((earlier, later) -> later).map(StatusView::failure).orElse(null);
    }

    private static Failure failure(HistoryEntry entry) {
        return new Failure(entry.result() == null ? null : entry.result().name(), entry.from(), entry.to(), null, null,
                entry.message(), entry.finishedAt());
    }

    /** {@code Migrate 2.0.0} for a per-hop step, the step alone otherwise. */
    private static String stepName(UpgradeStep step, Integer hop, List<HopStatus> hops) {
        boolean named = step.perHop() && hop != null && hops != null && hop < hops.size();
        return named ? step.name() + " " + hops.get(hop).version() : step.name();
    }

    private static List<ConditionState> conditions(ManagedUpgradeStatus status) {
        return status.getConditions() == null ? List.of() : status.getConditions().stream()
                .map(c -> new ConditionState(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                        c.getLastTransitionTime()))
                .toList();
    }
}
