package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.PlanStepStatus;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.plan.PlanOutcome;
import dev.slipway.core.upgrade.UpgradeSequence;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.kubernetes.Conditions;
import dev.slipway.kubernetes.Conditions.Type;
import dev.slipway.kubernetes.EventReason;
import dev.slipway.kubernetes.EventRecorder;
import dev.slipway.kubernetes.ManagedUpgradeReconciler;
import dev.slipway.kubernetes.Phase;
import dev.slipway.kubernetes.StatusWriter;
import dev.slipway.kubernetes.UpgradeMetrics;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.kubernetes.page.PageConfigMap;
import dev.slipway.kubernetes.page.PageDeployment;
import dev.slipway.kubernetes.workload.Workloads;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Drives one upgrade through {@link UpgradeStep}'s algorithm. Before a step starts, its position is checkpointed in
 * {@code status.upgrade}; when it completes, the next position is. A crashed operator therefore resumes at the step
 * it was in, which is safe because every step is idempotent. History is written in the same status update that
 * clears the checkpoint, so it is written exactly once.
 */
@ApplicationScoped
public class UpgradeExecutor {

    public static final String RESULT_SUCCEEDED = "Succeeded";
    public static final String RESULT_ROLLED_BACK = "RolledBack";
    public static final String RESULT_FAILED = "Failed";
    public static final String RESULT_ABANDONED = "Abandoned";
    private static final int HISTORY_LIMIT = 20;
    private static final Logger LOG = Logger.getLogger(UpgradeExecutor.class);

    /** Where the upgrade stands after a pass, and when to look again (null: only when the spec changes). */
    public record Outcome(ManagedUpgrade resource, Duration requeue) {
    }

    /**
     * Told after every checkpoint: a step's key, and whether the step has just begun or just completed. The
     * crash-and-resume tests use it to stop the operator at exact step boundaries.
     */
    @FunctionalInterface
    public interface CheckpointListener {
        CheckpointListener NONE = (stepKey, completed) -> {
        };

        void checkpointed(String stepKey, boolean completed);
    }

    private volatile CheckpointListener checkpointListener = CheckpointListener.NONE;
    private final StepRunner runner;
    private final PageConfigMap pageConfigMap;
    private final PageDeployment pageDeployment;
    private final IngressSwap ingress;
    private final Workloads workloads;
    private final EventRecorder events;
    private final UpgradeMetrics metrics;
    private final KubernetesClient client;
    private final Clock clock;

    public UpgradeExecutor(StepRunner runner, PageConfigMap pageConfigMap, PageDeployment pageDeployment,
            IngressSwap ingress, Workloads workloads, EventRecorder events, UpgradeMetrics metrics,
            KubernetesClient client, Clock clock) {
        this.runner = runner;
        this.pageConfigMap = pageConfigMap;
        this.pageDeployment = pageDeployment;
        this.ingress = ingress;
        this.workloads = workloads;
        this.events = events;
        this.metrics = metrics;
        this.client = client;
        this.clock = clock;
    }

    /** A new checkpoint for the planned upgrade, at Preflight. */
    public static UpgradeProgress begin(PlanOutcome.Planned plan, String override, Instant now) {
        UpgradeProgress progress = new UpgradeProgress();
        progress.setFrom(plan.current().toString());
        progress.setTo(plan.target().toString());
        progress.setHops(plan.steps().stream().map(ManagedUpgradeReconciler::stepStatus).toList());
        progress.setStep(UpgradeStep.Preflight.name());
        progress.setHop(0);
        progress.setStartedAt(now.toString());
        progress.setStepStartedAt(now.toString());
        progress.setOverride(override);
        progress.setCommitted(false);
        progress.setSteps(new ArrayList<>());
        return progress;
    }

    public Outcome advance(ManagedUpgrade resource, Context<ManagedUpgrade> context, UpgradeInputs in) {
        while (true) {
            Instant now = clock.instant();
            ManagedUpgradeStatus status = client.getKubernetesSerialization().clone(resource.getStatus());
            UpgradeProgress progress = status.getUpgrade();
            if (progress == null) {
                return new Outcome(resource, Duration.ofSeconds(1));
            }
            Conditions conditions = new Conditions(status.getConditions(), now, resource.getMetadata().getGeneration());
            if (progress.getResult() != null) {
                return handleEnded(resource, context, in, status, conditions);
            }
            Position position = new Position(UpgradeStep.valueOf(progress.getStep()), orZero(progress.getHop()));
            List<PlanStepStatus> hops = progress.getHops();
            String stepName = UpgradeTimeline.label(position, hops);
            String key = UpgradeTimeline.key(position, hops);
            boolean begun = progress.getSteps().stream().anyMatch(r -> r.getName().equals(key));
            if (!begun) {
                // Between steps: the only place an upgrade may pause.
                if (UpgradeSequence.isPausePoint(position.step()) && (in.spec().paused() || in.pauseForWindow())) {
                    String why = "paused before: " + stepName
                            + (in.spec().paused() ? " (spec.policy.paused)" : " (the maintenance window closed)");
                    if (!Phase.Paused.name().equals(status.getPhase())) {
                        events.normal(resource, EventReason.UpgradePaused, why);
                    }
                    status.setPhase(Phase.Paused.name());
                    conditions.set(Type.Progressing, false, "Paused", why);
                    status.setConditions(conditions.buildKeepingOthers());
                    resource = StatusWriter.write(resource, status, context);
                    return new Outcome(resource, in.spec().paused() ? null : in.untilWindowReopens());
                }
                progress.getSteps().add(stepRecord(key, now));
                progress.setStepStartedAt(now.toString());
                status.setPhase(Phase.Upgrading.name());
                conditions.set(Type.Progressing, true, position.step().name(), stepName);
                status.setConditions(conditions.buildKeepingOthers());
                resource = StatusWriter.write(resource, status, context);
                events.normal(resource, EventReason.StepStarted, stepName);
                checkpointListener.checkpointed(key, false);
                continue;
            }
            status.setPhase(Phase.Upgrading.name());
            String pausing = in.spec().paused() ? " (pausing when this step completes)" : "";
            conditions.set(Type.Progressing, true, position.step().name(), stepName + pausing);
            conditions.set(Type.Available, false, "Upgrading", "the application is being upgraded to " + progress.getTo());
            if (position.step() != UpgradeStep.Preflight) {
                pageConfigMap.publish(resource, UpgradeTimeline.page(resource.getSpec().getProduct(), progress,
                        status.getHistory(), now));
            }
            StepResult result = runner.run(position, resource, status, in);
            // The step's work (a migration, say) took time: what follows is recorded as of its end.
            Instant ended = clock.instant();
            if (position.step() == UpgradeStep.Preflight && status.getDatabase() != null) {
                boolean blocking = Boolean.TRUE.equals(status.getDatabase().getBlocking());
                conditions.set(Type.DatabaseVerified, !blocking, blocking ? "Blocking" : "Verified",
                        "schema " + status.getDatabase().getSchemaVersion() + ", "
                                + status.getDatabase().getFindingCount() + " finding(s)" + (blocking ? ", blocking" : ""));
            }
            if (result instanceof StepResult.Checkpoint) {
                status.setConditions(conditions.buildKeepingOthers());
                resource = StatusWriter.write(resource, status, context);
                continue;
            }
            if (result instanceof StepResult.Wait wait) {
                conditions.set(Type.Progressing, true, position.step().name(),
                        stepName + ": waiting for " + wait.why() + pausing);
                status.setConditions(conditions.buildKeepingOthers());
                resource = StatusWriter.write(resource, status, context);
                return new Outcome(resource, wait.after());
            }
            if (result instanceof StepResult.Fail fail) {
                resource = fail(resource, context, status, conditions, position, fail, ended);
                if (resource.getStatus().getUpgrade() != null && resource.getStatus().getUpgrade().getResult() != null) {
                    return new Outcome(resource, null);
                }
                continue;
            }
            finishStep(resource, progress, position, ended);
            Position next = UpgradeSequence.next(position, hops.size());
            if (next == null) {
                resource = record(resource, context, status, conditions, ended);
                checkpointListener.checkpointed(key, true);
                return new Outcome(resource, Duration.ofSeconds(1));
            }
            progress.setStep(next.step().name());
            progress.setHop(next.hop());
            status.setConditions(conditions.buildKeepingOthers());
            resource = StatusWriter.write(resource, status, context);
            checkpointListener.checkpointed(key, true);
        }
    }

    public void setCheckpointListener(CheckpointListener listener) {
        this.checkpointListener = listener == null ? CheckpointListener.NONE : listener;
    }

    private void finishStep(ManagedUpgrade resource, UpgradeProgress progress, Position position, Instant now) {
        String key = UpgradeTimeline.key(position, progress.getHops());
        for (StepRecord record : progress.getSteps()) {
            if (record.getName().equals(key) && record.getFinishedAt() == null) {
                record.setFinishedAt(now.toString());
                metrics.stepEnded(position.step().name(), Duration.between(Instant.parse(record.getStartedAt()), now));
            }
        }
        events.normal(resource, EventReason.StepCompleted, UpgradeTimeline.label(position, progress.getHops()));
    }

    private ManagedUpgrade fail(ManagedUpgrade resource, Context<ManagedUpgrade> context, ManagedUpgradeStatus status,
            Conditions conditions, Position position, StepResult.Fail fail, Instant now) {
        UpgradeProgress progress = status.getUpgrade();
        List<PlanStepStatus> hops = progress.getHops();
        progress.setFailedStep(UpgradeTimeline.key(position, hops));
        progress.setFailureReason(fail.reason().name());
        progress.setFailureMessage(fail.message());
        events.warning(resource, EventReason.StepFailed, UpgradeTimeline.label(position, hops) + " failed ("
                + fail.reason() + "): " + fail.message());
        LOG.warnf("%s/%s: %s failed (%s): %s", resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
                position.step(), fail.reason(), fail.message());
        boolean rollBack = position.step() != UpgradeStep.RollBack && UpgradeSequence.onFailure(position.step(),
                Boolean.TRUE.equals(progress.getCommitted())) == UpgradeSequence.FailureHandling.RollBack;
        conditions.set(Type.Failing, true, fail.reason().name(), fail.message());
        if (rollBack) {
            progress.setStep(UpgradeStep.RollBack.name());
            progress.setStepStartedAt(now.toString());
            conditions.set(Type.Progressing, true, UpgradeStep.RollBack.name(), "rolling back: " + fail.message());
        } else {
            progress.setResult(RESULT_FAILED);
            status.setPhase(Phase.Failed.name());
            conditions.set(Type.Progressing, false, "Failed", "upgrade to " + progress.getTo()
                    + " stopped; the application stays behind the maintenance page. Fix the cause, then set "
                    + "spec.actions.retry (or spec.actions.abandon) to a new value");
            pageConfigMap.publish(resource, UpgradeTimeline.page(resource.getSpec().getProduct(), progress,
                    status.getHistory(), now));
            events.warning(resource, EventReason.UpgradeFailed, "upgrade to " + progress.getTo() + " failed: "
                    + fail.message());
        }
        status.setConditions(conditions.buildKeepingOthers());
        return StatusWriter.write(resource, status, context);
    }

    /** Ends the upgrade: history, current version, metrics; the checkpoint is cleared in the same write. */
    private ManagedUpgrade record(ManagedUpgrade resource, Context<ManagedUpgrade> context, ManagedUpgradeStatus status,
            Conditions conditions, Instant now) {
        UpgradeProgress progress = status.getUpgrade();
        boolean rolledBack = progress.getFailedStep() != null;
        String result = rolledBack ? RESULT_ROLLED_BACK : RESULT_SUCCEEDED;
        appendHistory(status, progress, result, now);
        Duration took = Duration.between(Instant.parse(progress.getStartedAt()), now);
        metrics.upgradeEnded(resource.getMetadata().getNamespace(), resource.getMetadata().getName(), result,
                took);
        conditions.set(Type.Progressing, false, result, rolledBack
                ? "upgrade to " + progress.getTo() + " was rolled back: " + progress.getFailureMessage()
                : "upgraded from " + progress.getFrom() + " to " + progress.getTo() + " in " + took.toSeconds() + "s");
        conditions.set(Type.Available, true, rolledBack ? "RolledBack" : "Upgraded",
                "the application serves traffic at " + (rolledBack ? progress.getFrom() : progress.getTo()));
        if (rolledBack) {
            progress.setResult(RESULT_ROLLED_BACK);
            progress.setStep(null);
            status.setPhase(Phase.Failed.name());
            status.setCurrentVersion(progress.getFrom());
            events.warning(resource, EventReason.UpgradeRolledBack, "upgrade to " + progress.getTo()
                    + " was rolled back, the application runs " + progress.getFrom() + " again: "
                    + progress.getFailureMessage() + ". Set spec.actions.retry to a new value to try again");
        } else {
            progress.setStep(null);
            pageConfigMap.publish(resource, UpgradeTimeline.page(resource.getSpec().getProduct(), progress,
                    status.getHistory(), now));
            conditions.set(Type.Failing, false, "Upgraded", "the last upgrade succeeded");
            status.setUpgrade(null);
            status.setCurrentVersion(progress.getTo());
            status.setPhase(Phase.UpToDate.name());
            events.normal(resource, EventReason.UpgradeSucceeded, "upgraded from " + progress.getFrom() + " to "
                    + progress.getTo() + " in " + took.toSeconds() + "s");
        }
        status.setConditions(conditions.buildKeepingOthers());
        return StatusWriter.write(resource, status, context);
    }

    /** An upgrade that ended without completing waits for an administrator's retry or abandon. */
    private Outcome handleEnded(ManagedUpgrade resource, Context<ManagedUpgrade> context, UpgradeInputs in,
            ManagedUpgradeStatus status, Conditions conditions) {
        UpgradeProgress progress = status.getUpgrade();
        ActionsSpec actions = resource.getSpec().getActions();
        ActionsSpec handled = status.getHandledActions() == null ? new ActionsSpec() : status.getHandledActions();
        status.setHandledActions(handled);
        Instant now = clock.instant();
        if (actions != null && actions.getAbandon() != null && !actions.getAbandon().equals(handled.getAbandon())) {
            handled.setAbandon(actions.getAbandon());
            if (RESULT_FAILED.equals(progress.getResult())) {
                abandon(resource, progress, in);
                appendHistory(status, progress, RESULT_ABANDONED, now);
                metrics.upgradeEnded(resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
                        RESULT_ABANDONED, Duration.between(Instant.parse(progress.getStartedAt()), now));
                events.warning(resource, EventReason.UpgradeAbandoned, "upgrade to " + progress.getTo()
                        + " abandoned by an administrator; traffic restored, the database left as it is");
            }
            status.setUpgrade(null);
            conditions.set(Type.Progressing, false, RESULT_ABANDONED, "upgrade to " + progress.getTo() + " abandoned");
            conditions.set(Type.Failing, false, RESULT_ABANDONED, "the failed upgrade was abandoned");
            status.setConditions(conditions.buildKeepingOthers());
            return new Outcome(StatusWriter.write(resource, status, context), Duration.ofSeconds(1));
        }
        if (actions != null && actions.getRetry() != null && !actions.getRetry().equals(handled.getRetry())) {
            handled.setRetry(actions.getRetry());
            if (RESULT_FAILED.equals(progress.getResult())) {
                progress.setResult(null);
                progress.setFailedStep(null);
                progress.setFailureReason(null);
                progress.setFailureMessage(null);
                progress.setStepStartedAt(now.toString());
            } else {
                status.setUpgrade(null);
            }
            conditions.set(Type.Failing, false, "Retrying", "retry requested by an administrator");
            status.setConditions(conditions.buildKeepingOthers());
            resource = StatusWriter.write(resource, status, context);
            return status.getUpgrade() == null ? new Outcome(resource, Duration.ofSeconds(1))
                    : advance(resource, context, in);
        }
        status.setPhase(Phase.Failed.name());
        status.setConditions(conditions.buildKeepingOthers());
        return new Outcome(StatusWriter.write(resource, status, context), null);
    }

    /** Restores traffic and replicas without touching images or the database. */
    private void abandon(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        String namespace = resource.getMetadata().getNamespace();
        if (progress.getReplicas() != null) {
            for (ComponentSpec component : in.spec().components()) {
                progress.getReplicas().stream().filter(r -> r.getComponent().equals(component.getName())).findFirst()
                        .ifPresent(r -> workloads.scale(namespace, component, r.getReplicas()));
            }
        }
        ingress.restore(namespace, in.spec().ingressName(), progress.getOriginalIngress());
        pageDeployment.scaleDown(resource);
        runner.forgetOriginalsWhenDone(StepResult.done(), resource, in);
    }

    private static void appendHistory(ManagedUpgradeStatus status, UpgradeProgress progress, String result, Instant now) {
        List<HistoryEntry> history = status.getHistory() == null ? new ArrayList<>() : new ArrayList<>(status.getHistory());
        if (history.stream().anyMatch(h -> Objects.equals(h.getStartedAt(), progress.getStartedAt()))) {
            return;
        }
        HistoryEntry entry = new HistoryEntry();
        entry.setFrom(progress.getFrom());
        entry.setTo(progress.getTo());
        entry.setPath(progress.getHops().stream().map(PlanStepStatus::getVersion).toList());
        entry.setStartedAt(progress.getStartedAt());
        entry.setFinishedAt(now.toString());
        entry.setResult(result);
        entry.setOverride(progress.getOverride());
        entry.setMessage(progress.getFailureMessage());
        entry.setSteps(progress.getSteps());
        entry.setAppliedFixes(progress.getAppliedFixes());
        history.add(entry);
        status.setHistory(history.size() > HISTORY_LIMIT ? history.subList(history.size() - HISTORY_LIMIT, history.size())
                : history);
    }

    private static StepRecord stepRecord(String name, Instant now) {
        StepRecord record = new StepRecord();
        record.setName(name);
        record.setStartedAt(now.toString());
        return record;
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
