package dev.slipway.kubernetes;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.FeedPollStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.PlanStatus;
import dev.slipway.api.v1alpha1.status.PlanStepStatus;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.core.plan.Hop;
import dev.slipway.core.plan.PlanOutcome;
import dev.slipway.core.plan.UpgradePlanner;
import dev.slipway.kubernetes.Conditions.Type;
import dev.slipway.kubernetes.workload.Workloads;
import dev.slipway.releaseapi.FeedSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;
import org.semver4j.Semver;

/**
 * Turns a ManagedUpgrade into status: what runs, what it can be upgraded to and by which path. Reads the world,
 * asks the pure core for decisions, writes status only when it changed, and asks to be woken at the next moment
 * that matters (the next feed poll) instead of polling on a short timer.
 */
@ControllerConfiguration(name = ManagedUpgradeReconciler.NAME)
public class ManagedUpgradeReconciler implements Reconciler<ManagedUpgrade> {

    public static final String NAME = "managedupgrade";
    private static final Logger LOG = Logger.getLogger(ManagedUpgradeReconciler.class);
    /** How soon a resource whose spec is invalid is looked at again, in case a Secret it names appears. */
    private static final Duration INVALID_SPEC_RECHECK = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final FeedCache feeds;
    private final Workloads workloads;
    private final Clock clock;

    public ManagedUpgradeReconciler(KubernetesClient client, FeedCache feeds, Workloads workloads, Clock clock) {
        this.client = client;
        this.feeds = feeds;
        this.workloads = workloads;
        this.clock = clock;
    }

    @Override
    public UpdateControl<ManagedUpgrade> reconcile(ManagedUpgrade resource, Context<ManagedUpgrade> context) {
        Instant now = clock.instant();
        ManagedUpgradeStatus previous = resource.getStatus();
        ManagedUpgradeStatus next = previous == null ? new ManagedUpgradeStatus()
                : client.getKubernetesSerialization().clone(previous);
        next.setObservedGeneration(resource.getMetadata().getGeneration());
        Conditions conditions = new Conditions(previous == null ? null : previous.getConditions(), now,
                resource.getMetadata().getGeneration());
        Duration requeue;
        try {
            ResolvedSpec spec = SpecReader.read(resource.getSpec());
            FeedSource source = FeedSources.build(spec, resource.getSpec().getReleaseSource(),
                    resource.getMetadata().getNamespace(), client);
            conditions.set(Type.InvalidSpec, false, "SpecValid", "the spec is valid");
            requeue = observe(resource, spec, source, next, conditions, now);
        } catch (InvalidSpecException e) {
            next.setPhase(Phase.Invalid.name());
            conditions.set(Type.InvalidSpec, true, "InvalidField", e.getMessage());
            for (Type type : Type.values()) {
                conditions.keep(type);
            }
            requeue = INVALID_SPEC_RECHECK;
        }
        next.setConditions(conditions.build());
        writeStatusIfChanged(resource, next, context);
        return UpdateControl.<ManagedUpgrade>noUpdate().rescheduleAfter(requeue);
    }

    private Duration observe(ManagedUpgrade resource, ResolvedSpec spec, FeedSource source, ManagedUpgradeStatus next,
            Conditions conditions, Instant now) {
        FeedCache.FeedState feed = feeds.get(source, spec.pollInterval());
        Duration untilNextPoll = positive(Duration.between(now, feed.nextPollAt()));
        FeedPollStatus poll = new FeedPollStatus();
        poll.setAt(feed.lastPollAt().toString());
        poll.setResult(feed.lastResult().name());
        poll.setEtag(feed.etag());
        poll.setMessage(feed.lastError());
        next.setLastFeedPoll(poll);
        if (feed.lastResult() == FeedCache.PollResult.Error) {
            conditions.set(Type.ReleasesRetrieved, false, "FeedError", feed.lastError()
                    + (feed.catalog() == null ? "" : "; using the catalogue from the last good poll"));
        } else {
            conditions.set(Type.ReleasesRetrieved, true, "FeedRetrieved",
                    feed.catalog().releases().size() + " releases of " + spec.product());
        }
        if (feed.catalog() == null) {
            next.setPhase(Phase.Unknown.name());
            conditions.keep(Type.UpdateAvailable);
            return untilNextPoll;
        }

        InstalledVersion.Discovery discovery = InstalledVersion.discover(resource.getMetadata().getNamespace(),
                spec.components(), feed.catalog(), spec.installedVersion(), workloads);
        if (discovery.version() == null) {
            next.setPhase(Phase.Unknown.name());
            conditions.set(Type.VersionDiscovered, false, "VersionUnknown", discovery.problem());
            return untilNextPoll;
        }
        conditions.set(Type.VersionDiscovered, true, "VersionDiscovered",
                discovery.version() + " (from " + discovery.source() + ")");
        next.setCurrentVersion(discovery.version().toString());

        PlanOutcome outcome = UpgradePlanner.plan(discovery.version(), feed.catalog().releases(), spec.policy(), now);
        if (outcome instanceof PlanOutcome.Failed failed) {
            next.setPhase(Phase.Blocked.name());
            next.setTargetVersion(null);
            next.setPlan(null);
            conditions.set(Type.UpdateAvailable, false, failed.code().name(), failed.message());
            return untilNextPoll;
        }
        PlanOutcome.Planned planned = (PlanOutcome.Planned) outcome;
        next.setLatestVersion(planned.latest() == null ? null : planned.latest().toString());
        next.setAvailableUpdates(planned.availableUpdates().stream().map(Semver::toString).toList());
        if (!planned.hasUpdate()) {
            next.setPhase(Phase.UpToDate.name());
            next.setTargetVersion(null);
            next.setPlan(null);
            conditions.set(Type.UpdateAvailable, false, "UpToDate", discovery.version()
                    + " is the newest release the policy allows");
            return untilNextPoll;
        }
        next.setTargetVersion(planned.target().toString());
        next.setPlan(planStatus(planned));
        conditions.set(Type.UpdateAvailable, true, "UpdatePlanned", describe(planned));
        boolean approved = !spec.manualApproval() || (spec.approvedVersion() != null
                && spec.approvedVersion().compareTo(planned.target()) == 0);
        next.setPhase(approved ? Phase.UpdateAvailable.name() : Phase.WaitingForApproval.name());
        return untilNextPoll;
    }

    private static PlanStatus planStatus(PlanOutcome.Planned planned) {
        PlanStatus plan = new PlanStatus();
        plan.setTarget(planned.target().toString());
        plan.setSteps(planned.steps().stream().map(ManagedUpgradeReconciler::stepStatus).toList());
        return plan;
    }

    static PlanStepStatus stepStatus(Hop hop) {
        PlanStepStatus step = new PlanStepStatus();
        step.setVersion(hop.version());
        step.setReason(hop.reason().name());
        step.setSchemaVersion(hop.schemaVersion());
        return step;
    }

    private static String describe(PlanOutcome.Planned planned) {
        List<String> hops = planned.steps().stream().map(h -> h.version() + " (" + h.reason() + ")").toList();
        return planned.current() + " → " + planned.target() + " in " + hops.size()
                + (hops.size() == 1 ? " hop: " : " hops: ") + String.join(", ", hops);
    }

    private void writeStatusIfChanged(ManagedUpgrade resource, ManagedUpgradeStatus next, Context<ManagedUpgrade> context) {
        if (Objects.equals(resource.getStatus(), next)) {
            return;
        }
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, fresh -> {
            fresh.setStatus(next);
            return fresh;
        });
        LOG.debugf("status of %s/%s updated: phase %s", resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(), next.getPhase());
    }

    private static Duration positive(Duration duration) {
        return duration.isNegative() || duration.isZero() ? Duration.ofSeconds(1) : duration;
    }

    @Override
    public ErrorStatusUpdateControl<ManagedUpgrade> updateErrorStatus(ManagedUpgrade resource,
            Context<ManagedUpgrade> context, Exception e) {
        LOG.warnf("reconciling %s/%s failed, will retry: %s", resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(), e.getMessage());
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
}
