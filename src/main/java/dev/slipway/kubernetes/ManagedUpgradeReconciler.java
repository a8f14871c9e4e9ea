package dev.slipway.kubernetes;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.FeedPollStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.core.plan.InstallPlanner;
import dev.slipway.core.plan.PlanOutcome;
import dev.slipway.core.plan.UpgradePlanner;
import dev.slipway.core.upgrade.FirstInstall;
import dev.slipway.core.upgrade.StartDecision;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.window.OnWindowEnd;
import dev.slipway.core.window.UpgradeScope;
import dev.slipway.core.window.WindowEngine;
import dev.slipway.core.window.WindowEvaluation;
import dev.slipway.database.DatabaseException;
import dev.slipway.kubernetes.observability.ManagedUpgradeCache;
import dev.slipway.kubernetes.observability.StatusMetrics;
import dev.slipway.kubernetes.spec.ResolvedSpec;
import dev.slipway.kubernetes.spec.SpecReader;
import dev.slipway.kubernetes.status.Conditions.Type;
import dev.slipway.kubernetes.status.Conditions;
import dev.slipway.kubernetes.status.EventReason;
import dev.slipway.kubernetes.status.EventRecorder;
import dev.slipway.kubernetes.status.PlanStatuses;
import dev.slipway.kubernetes.status.StatusWriter;
import dev.slipway.kubernetes.upgrade.AdminActions;
import dev.slipway.kubernetes.upgrade.FirstInstallCheck;
import dev.slipway.kubernetes.upgrade.UpgradeDeletion;
import dev.slipway.kubernetes.upgrade.UpgradeExecutor;
import dev.slipway.kubernetes.upgrade.UpgradeInputs;
import dev.slipway.kubernetes.upgrade.UpgradeTimeline;
import dev.slipway.kubernetes.workload.Workloads;
import dev.slipway.releaseapi.FeedSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.semver4j.Semver;

/**
 * Turns a ManagedUpgrade into status: what runs, what it can be upgraded to and by which path. Reads the world,
 * asks the pure core for decisions, writes status only when it changed, and asks to be woken at the next moment
 * that matters (the next feed poll) instead of polling on a short timer.
 */
@ControllerConfiguration(name = ManagedUpgradeReconciler.NAME)
public class ManagedUpgradeReconciler implements Reconciler<ManagedUpgrade>, Cleaner<ManagedUpgrade> {

    public static final String NAME = "managedupgrade";
    private static final Logger LOG = Logger.getLogger(ManagedUpgradeReconciler.class);
    /** How soon a resource whose spec is invalid is looked at again, in case a Secret it names appears. */
    private static final Duration INVALID_SPEC_RECHECK = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final FeedCache feeds;
    private final Workloads workloads;
    private final UpgradeExecutor executor;
    private final AdminActions actions;
    private final UpgradeDeletion deletion;
    private final EventRecorder events;
    private final StatusMetrics statusMetrics;
    private final ManagedUpgradeCache cache;
    private final FirstInstallCheck firstInstall;
    private final Clock clock;

    public ManagedUpgradeReconciler(KubernetesClient client, FeedCache feeds, Workloads workloads,
            UpgradeExecutor executor, AdminActions actions, UpgradeDeletion deletion, EventRecorder events,
            StatusMetrics statusMetrics, ManagedUpgradeCache cache, FirstInstallCheck firstInstall, Clock clock) {
        this.client = client;
        this.feeds = feeds;
        this.workloads = workloads;
        this.executor = executor;
        this.actions = actions;
        this.deletion = deletion;
        this.events = events;
        this.statusMetrics = statusMetrics;
        this.cache = cache;
        this.firstInstall = firstInstall;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ManagedUpgrade>> prepareEventSources(EventSourceContext<ManagedUpgrade> context) {
        cache.readFrom(context.getPrimaryCache());
        statusMetrics.readFrom(cache::list);
        return WorkloadEvents.sources(context);
    }

    @Override
    public UpdateControl<ManagedUpgrade> reconcile(ManagedUpgrade resource, Context<ManagedUpgrade> context) {
        dev.slipway.kubernetes.observability.ReconcileLogContext.enter(resource);
        Instant now = clock.instant();
        ManagedUpgradeStatus previous = resource.getStatus();
        ManagedUpgradeStatus next = previous == null ? new ManagedUpgradeStatus()
                : client.getKubernetesSerialization().clone(previous);
        next.setObservedGeneration(resource.getMetadata().getGeneration());
        Conditions conditions = new Conditions(previous == null ? null : previous.getConditions(), now,
                resource.getMetadata().getGeneration());
        ResolvedSpec spec;
        FeedSource source;
        try {
            spec = SpecReader.read(resource.getSpec());
            source = FeedSources.build(spec, resource.getSpec().getReleaseSource(),
                    resource.getMetadata().getNamespace(), client);
        } catch (InvalidSpecException e) {
            if (previous == null || previous.getPhase() != Phase.Invalid) {
                events.warning(resource, EventReason.InvalidSpec, e.getMessage());
            }
            next.setPhase(Phase.Invalid);
            conditions.set(Type.InvalidSpec, true, "InvalidField", e.getMessage());
            next.setConditions(conditions.buildKeepingOthers());
            StatusWriter.write(resource, next, context);
            return UpdateControl.<ManagedUpgrade>noUpdate().rescheduleAfter(INVALID_SPEC_RECHECK);
        }
        conditions.set(Type.InvalidSpec, false, "SpecValid", "the spec is valid");
        Observation observation = observe(resource, context, spec, source, next, conditions, now);
        next.setConditions(conditions.buildKeepingOthers());
        ManagedUpgrade current = StatusWriter.write(resource, next, context);
        Phase before = previous == null ? null : previous.getPhase();
        if (before != next.getPhase()) {
            events.normal(resource, next.getPhase() == Phase.WaitingForWindow ? EventReason.UpgradeDeferred
                    : EventReason.PhaseChanged, (before == null ? "" : before + " → ") + next.getPhase());
        }
        windowEvent(resource, previous, next);
        if ("False".equals(conditionStatus(next, Type.ReleasesRetrieved))
                && !"False".equals(conditionStatus(previous, Type.ReleasesRetrieved))) {
            events.warning(resource, EventReason.FeedError, next.getLastFeedPoll().message());
        }
        Duration requeue = observation.requeue();
        if (observation.upgrade() != null) {
            UpgradeExecutor.Outcome outcome = current.getStatus().getUpgrade().getResult() != null
                    ? actions.onEnded(current, context, observation.upgrade())
                    : executor.advance(current, context, observation.upgrade());
            requeue = outcome.requeue() == null ? observation.requeue() : min(outcome.requeue(), observation.requeue());
        }
        return UpdateControl.<ManagedUpgrade>noUpdate().rescheduleAfter(requeue);
    }

    /**
     * Deleting a ManagedUpgrade undoes what its upgrade did where that is safe, and otherwise waits for an
     * administrator's abandon (see {@link UpgradeDeletion}); JOSDK adds the finalizer that makes it wait.
     */
    @Override
    public DeleteControl cleanup(ManagedUpgrade resource, Context<ManagedUpgrade> context) {
        dev.slipway.kubernetes.observability.ReconcileLogContext.enter(resource);
        DeleteControl control = deletion.cleanup(resource, context);
        if (control.isRemoveFinalizer()) {
            unwatchWorkloads(resource);
        }
        return control;
    }

    private void unwatchWorkloads(ManagedUpgrade resource) {
        try {
            SpecReader.read(resource.getSpec()).components()
                    .forEach(component -> workloads.unwatch(resource.getMetadata().getNamespace(), component));
        } catch (InvalidSpecException | KubernetesClientException e) {
            LOG.debugf("%s/%s: workloads keep the label %s: %s", resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(), Workloads.WATCHED_LABEL, e.getMessage());
        }
    }

    /** Labels the referenced workloads the informers do not hold yet, so that their changes reach this resource. */
    private void watchWorkloads(Context<ManagedUpgrade> context, String namespace, ResolvedSpec spec) {
        for (ComponentSpec component : spec.components()) {
            if (WorkloadEvents.cachedState(context, namespace, component).isEmpty()) {
                try {
                    workloads.watch(namespace, component);
                } catch (KubernetesClientException e) {
                    // Not fatal: unlabelled, a workload's changes wake no one, so waits fall back to their timers.
                    LOG.warnf("%s/%s: could not label %s '%s' %s=true for the informers: %s", namespace,
                            component.getName(), component.getWorkload().getKind(), component.getWorkload().getName(),
                            Workloads.WATCHED_LABEL, e.getMessage());
                }
            }
        }
    }

    /** WindowOpened / WindowClosed when the MaintenanceWindowOpen condition flips. */
    private void windowEvent(ManagedUpgrade resource, ManagedUpgradeStatus previous, ManagedUpgradeStatus next) {
        String was = conditionStatus(previous, Type.MaintenanceWindowOpen);
        String is = conditionStatus(next, Type.MaintenanceWindowOpen);
        if (was != null && is != null && !was.equals(is)) {
            events.normal(resource, "True".equals(is) ? EventReason.WindowOpened : EventReason.WindowClosed,
                    next.getMaintenance() == null ? is : "maintenance window " + ("True".equals(is) ? "opened" : "closed")
                            + " (" + next.getMaintenance().reason() + ")");
        }
    }

    private static String conditionStatus(ManagedUpgradeStatus status, Type type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        return status.getConditions().stream().filter(c -> type.name().equals(c.getType()))
                .map(io.fabric8.kubernetes.api.model.Condition::getStatus).findFirst().orElse(null);
    }

    /** What a pass learned: when to look again, and the inputs of an upgrade to advance, if one runs. */
    private record Observation(Duration requeue, UpgradeInputs upgrade) {
        static Observation waitFor(Duration requeue) {
            return new Observation(requeue, null);
        }
    }

    private Observation observe(ManagedUpgrade resource, Context<ManagedUpgrade> context, ResolvedSpec spec,
            FeedSource source, ManagedUpgradeStatus next, Conditions conditions, Instant now) {
        FeedCache.FeedState feed = feeds.get(source, spec.pollInterval(), acceptedGeneratedAt(next.getLastFeedPoll()));
        Duration untilNextPoll = positive(Duration.between(now, feed.nextPollAt()));
        next.setLastFeedPoll(new FeedPollStatus(feed.lastPollAt().toString(), feed.lastResult().name(), feed.etag(),
                feed.lastError(), feed.replayFloor() == null ? null : feed.replayFloor().toString()));
        if (feed.lastResult() == FeedCache.PollResult.Error) {
            conditions.set(Type.ReleasesRetrieved, false, "FeedError", feed.lastError()
                    + (feed.catalog() == null ? "" : "; using the catalogue from the last good poll"));
        } else {
            conditions.set(Type.ReleasesRetrieved, true, "FeedRetrieved",
                    feed.catalog().releases().size() + " releases of " + spec.product());
        }
        if (feed.catalog() == null) {
            next.setPhase(Phase.Unknown);
            return Observation.waitFor(untilNextPoll);
        }
        WindowEngine windows = new WindowEngine(spec.maintenance().schedule());
        if (next.getUpgrade() != null) {
            UpgradeTimeline.dropUpdatesTheDatabaseHasPassed(next);
        }
        String namespace = resource.getMetadata().getNamespace();
        watchWorkloads(context, namespace, spec);
        Optional<UpgradeProgress> restore = actions.restoreRequested(resource, next, conditions, spec, feed.catalog(),
                now);
        if (restore.isPresent()) {
            next.setUpgrade(restore.get());
            next.setPhase(Phase.Upgrading);
            events.normal(resource, EventReason.UpgradeStarted, "restoring backup "
                    + restore.get().getBackup().database() + " and version " + restore.get().getTo()
                    + " (spec.actions.restore)");
            return new Observation(untilNextPoll, inputs(resource, spec, source, feed, windows, now));
        }
        if (next.getUpgrade() != null && next.getUpgrade().getResult() == null) {
            return new Observation(untilNextPoll, inputs(resource, spec, source, feed, windows, now));
        }

        InstalledVersion.Discovery discovery = InstalledVersion.discover(spec.components(), spec.images(), feed.catalog(),
                spec.installedVersion(), component -> WorkloadEvents.cachedState(context, namespace, component));
        if (discovery.version() == null || !discovery.version().toString().equals(next.getCurrentVersion())) {
            // The caches can lag a watch event behind (right after an upgrade rolled the images, say): before acting
            // on a version other than the one in status, ask the API server.
            discovery = InstalledVersion.discover(spec.components(), spec.images(), feed.catalog(), spec.installedVersion(),
                    component -> workloads.state(namespace, component));
        }
        if (next.getUpgrade() != null && next.getUpgrade().getResult() == UpgradeResult.Failed
                && FirstInstall.isInstall(next.getUpgrade().getFrom())) {
            // A first install that committed a hop and failed waits for an administrator; its database is no longer
            // empty, so it must not be taken for someone else's data.
            return new Observation(untilNextPoll, inputs(resource, spec, source, feed, windows, now));
        }
        boolean statedNotInstalled = spec.notInstalled() && !discovery.fromImages();
        FirstInstall.Assessment install = null;
        if (discovery.workloadsExist() && FirstInstall.mayBeUninstalled(discovery.fromImages(),
                discovery.scaledToZero(), spec.installedVersion() != null)
                && (spec.notInstalled() || resource.getSpec().getDatabase() != null)) {
            try {
                install = firstInstall.assess(resource, statedNotInstalled);
            } catch (IllegalArgumentException | DatabaseException e) {
                if (statedNotInstalled) {
                    next.setPhase(Phase.Unknown);
                    conditions.set(Type.VersionDiscovered, false, "DatabaseUnreadable", "a first install needs an "
                            + "empty database, and the database cannot be read: " + e.getMessage());
                    return Observation.waitFor(untilNextPoll);
                }
                // Not stated: discovery stands as the images and the spec tell it.
                LOG.debugf("%s/%s: the database cannot tell whether anything is installed: %s", namespace,
                        resource.getMetadata().getName(), e.getMessage());
            }
            if (install != null && install.verdict() == FirstInstall.Verdict.Refused) {
                next.setPhase(Phase.Blocked);
                next.setTargetVersion(null);
                next.setPlan(null);
                conditions.set(Type.VersionDiscovered, true, "NotInstalled", "no release runs");
                conditions.set(Type.UpdateAvailable, false, "DatabaseNotEmpty", install.reason());
                return Observation.waitFor(untilNextPoll);
            }
        }
        PlanOutcome outcome;
        if (install != null && install.verdict() == FirstInstall.Verdict.Install) {
            conditions.set(Type.VersionDiscovered, true, "NotInstalled", install.reason());
            next.setCurrentVersion(null);
            outcome = InstallPlanner.plan(feed.catalog().releases(), spec.policy(), now);
        } else {
            if (discovery.version() == null) {
                next.setPhase(Phase.Unknown);
                conditions.set(Type.VersionDiscovered, false, "VersionUnknown", discovery.problem());
                return Observation.waitFor(untilNextPoll);
            }
            conditions.set(Type.VersionDiscovered, true, "VersionDiscovered",
                    discovery.version() + " (from " + discovery.source() + ")");
            next.setCurrentVersion(discovery.version().toString());
            outcome = UpgradePlanner.plan(discovery.version(), feed.catalog().releases(), spec.policy(), now);
        }
        UpgradeProgress ended = next.getUpgrade();
        if (ended != null) {
            boolean newTarget = ended.getResult() != UpgradeResult.Failed
                    && !(outcome instanceof PlanOutcome.Planned p && p.hasUpdate() && heldTarget(ended).equals(p.target().toString()));
            if (!newTarget) {
                // A held failure waits for an administrator (retry, abandon) whatever the feed says; a rolled-back or
                // abandoned target is not tried again until a retry, or until the plan leads somewhere else.
                return new Observation(untilNextPoll, inputs(resource, spec, source, feed, windows, now));
            }
            next.setUpgrade(null);
        }
        if (outcome instanceof PlanOutcome.Failed failed) {
            next.setPhase(Phase.Blocked);
            next.setTargetVersion(null);
            next.setPlan(null);
            conditions.set(Type.UpdateAvailable, false, failed.code().name(), failed.message());
            return Observation.waitFor(untilNextPoll);
        }
        PlanOutcome.Planned planned = (PlanOutcome.Planned) outcome;
        next.setLatestVersion(planned.latest() == null ? null : planned.latest().toString());
        next.setAvailableUpdates(planned.availableUpdates().stream().map(Semver::toString).toList());
        if (!planned.hasUpdate() && planned.current() == null) {
            next.setPhase(Phase.Blocked);
            next.setTargetVersion(null);
            next.setPlan(null);
            conditions.set(Type.UpdateAvailable, false, "NoRelease", "nothing is installed and no release is usable "
                    + "(channel " + spec.policy().channel() + ", minReleaseAge, blocked releases)");
            return Observation.waitFor(untilNextPoll);
        }
        if (!planned.hasUpdate()) {
            next.setPhase(Phase.UpToDate);
            next.setTargetVersion(null);
            next.setPlan(null);
            conditions.set(Type.UpdateAvailable, false, "UpToDate", discovery.version()
                    + " is the newest release the policy allows");
            next.setMaintenance(maintenanceStatus(spec, windows, UpgradeScope.PATCH, now));
            return Observation.waitFor(untilNextPoll);
        }
        next.setTargetVersion(planned.target().toString());
        next.setPlan(PlanStatuses.plan(planned, resource.getSpec()));
        conditions.set(Type.UpdateAvailable, true, "UpdatePlanned", describe(planned));
        // A first install changes everything there is: only windows that admit a major upgrade fit it.
        UpgradeScope scope = planned.current() == null ? UpgradeScope.MAJOR
                : UpgradeScope.between(planned.current(), planned.target());
        WindowEvaluation window = windows.evaluate(now, scope);
        next.setMaintenance(MaintenanceStatusFactory.from(window, windows, spec.maintenance().warnings()));
        conditions.set(Type.MaintenanceWindowOpen, window.canStart(), window.reason().name(), describe(window));
        Duration untilWindowChanges = windows.nextBoundaryAfter(now, scope)
                .map(boundary -> positive(Duration.between(now, boundary))).orElse(untilNextPoll);
        Duration requeue = min(untilNextPoll, untilWindowChanges);

        boolean versionApproved = spec.approvedVersion() != null
                && spec.approvedVersion().compareTo(planned.target()) == 0;
        // An approval bound to a plan (approvedPlanHash) holds only while the plan is that one: a release published
        // or withdrawn since then changes the path the administrator agreed to.
        String approvedPlan = resource.getSpec().getPolicy() == null ? null
                : resource.getSpec().getPolicy().getApprovedPlanHash();
        boolean planStillApproved = approvedPlan == null || approvedPlan.equals(next.getPlan().hash());
        if (versionApproved && !planStillApproved) {
            conditions.set(Type.UpdateAvailable, true, "PlanChanged", "the plan changed since " + planned.target()
                    + " was approved (approved plan " + approvedPlan + ", now " + next.getPlan().hash() + ": "
                    + describe(planned) + "); approve it again");
        }
        boolean approved = versionApproved && planStillApproved;
        StartDecision.Decision decision = StartDecision.decide(new StartDecision.Facts(spec.manualApproval(), approved,
                spec.paused(), window.canStart(), AdminActions.startNowRequested(resource, next)));
        switch (decision.outcome()) {
            case WaitForApproval -> {
                next.setPhase(Phase.WaitingForApproval);
                return Observation.waitFor(untilNextPoll);
            }
            case Paused -> {
                next.setPhase(Phase.Paused);
                return Observation.waitFor(untilNextPoll);
            }
            case WaitForWindow -> {
                next.setPhase(Phase.WaitingForWindow);
                return Observation.waitFor(requeue);
            }
            case Start -> {
                String override = AdminActions.consumeStartNow(resource, next, decision.overridesWindow());
                UpgradeProgress started = UpgradeExecutor.begin(planned, resource.getSpec(), override, now);
                // A person asked when the start needed their approval or overrode the window; else the policy did.
                boolean asked = override != null || spec.manualApproval();
                started.setRequestedBy(asked ? AdminActions.requester(resource).orElse(null) : null);
                next.setUpgrade(started);
                next.setPhase(Phase.Upgrading);
                events.normal(resource, EventReason.UpgradeStarted, describe(planned)
                        + (override == null ? "" : " (" + override + ")")
                        + (started.getRequestedBy() == null ? "" : ", requested by " + started.getRequestedBy()));
                return new Observation(requeue, inputs(resource, spec, source, feed, windows, now));
            }
            default -> throw new IllegalStateException("unknown start decision " + decision.outcome());
        }
    }

    /** The version an ended upgrade keeps from starting again: its target, or the one a restore went back from. */
    private static String heldTarget(UpgradeProgress ended) {
        return ended.getResult() == UpgradeResult.Restored ? ended.getFrom() : ended.getTo();
    }

    /** The newest feed this resource accepted before, as its status records it (null when unknown or unreadable). */
    static Instant acceptedGeneratedAt(FeedPollStatus lastPoll) {
        if (lastPoll == null || lastPoll.generatedAt() == null) {
            return null;
        }
        try {
            return Instant.parse(lastPoll.generatedAt());
        } catch (java.time.format.DateTimeParseException edited) {
            return null;
        }
    }

    private UpgradeInputs inputs(ManagedUpgrade resource, ResolvedSpec spec, FeedSource source, FeedCache.FeedState feed,
            WindowEngine windows, Instant now) {
        boolean pauseForWindow = false;
        Duration untilReopen = null;
        if (spec.maintenance().schedule().onWindowEnd() == OnWindowEnd.PAUSE) {
            WindowEvaluation window = windows.evaluate(now, UpgradeScope.MAJOR);
            pauseForWindow = !window.inWindow();
            untilReopen = window.nextWindow() == null ? null : positive(Duration.between(now, window.nextWindow().start()));
        }
        return new UpgradeInputs(spec, resource.getSpec().getDatabase(), source, feed.catalog(), pauseForWindow, untilReopen);
    }

    private static dev.slipway.api.v1alpha1.status.MaintenanceStatus maintenanceStatus(ResolvedSpec spec,
            WindowEngine windows, UpgradeScope scope, Instant now) {
        return MaintenanceStatusFactory.from(windows.evaluate(now, scope), windows, spec.maintenance().warnings());
    }

    private static String describe(WindowEvaluation window) {
        return switch (window.reason()) {
            case NotConfigured -> "no maintenance windows configured: upgrades may start at any time";
            case InWindow -> "in a maintenance window until " + window.currentWindow().end();
            case OutsideWindow -> "outside the maintenance windows; next eligible start " + window.nextEligibleStart();
            case Excluded -> "an exclusion blocks this upgrade now; next eligible start " + window.nextEligibleStart();
            case InsufficientRemainingWindow -> "less than minimumRemaining of the window is left; next eligible start "
                    + window.nextEligibleStart();
            case NoFutureWindow -> "no maintenance window in the next 400 days is long enough for minimumRemaining";
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String describe(PlanOutcome.Planned planned) {
        List<String> hops = planned.steps().stream().map(h -> h.version() + " (" + h.reason() + ")").toList();
        if (planned.current() == null) {
            return "install " + planned.target() + " into the empty database, migrating through "
                    + String.join(", ", hops);
        }
        return planned.current() + " → " + planned.target() + " in " + hops.size()
                + (hops.size() == 1 ? " hop: " : " hops: ") + String.join(", ", hops);
    }

    private static Duration positive(Duration duration) {
        return duration.isNegative() || duration.isZero() ? Duration.ofSeconds(1) : duration;
    }

    /**
     * An exception no step turned into a typed failure still reaches the admin: a Failing condition with its message
     * (as the Keycloak operator does), then JOSDK's retry with back-off.
     */
    @Override
    public ErrorStatusUpdateControl<ManagedUpgrade> updateErrorStatus(ManagedUpgrade resource,
            Context<ManagedUpgrade> context, Exception e) {
        String message = ReconcileErrors.describe(e);
        LOG.warnf("reconciling %s/%s failed, will retry: %s", resource.getMetadata().getNamespace(),
                resource.getMetadata().getName(), message);
        // The resource handed in is the one the failed pass started from: the pass may have checkpointed since, so
        // writing its whole status back would undo those checkpoints. Only the conditions of the stored status are
        // edited (a JSON patch of that one field).
        try {
            client.resources(ManagedUpgrade.class).inNamespace(resource.getMetadata().getNamespace())
                    .withName(resource.getMetadata().getName()).editStatus(stored -> {
                        if (stored.getStatus() == null) {
                            stored.setStatus(new ManagedUpgradeStatus());
                        }
                        Conditions conditions = new Conditions(stored.getStatus().getConditions(), clock.instant(),
                                stored.getMetadata().getGeneration());
                        conditions.set(Type.Failing, true, "ReconcileError", message);
                        stored.getStatus().setConditions(conditions.buildKeepingOthers());
                        return stored;
                    });
        } catch (KubernetesClientException notWritten) {
            LOG.debugf("%s/%s: the Failing condition could not be written either: %s",
                    resource.getMetadata().getNamespace(), resource.getMetadata().getName(), notWritten.getMessage());
        }
        return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
}
