package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BackupSpec;
import dev.slipway.api.v1alpha1.spec.DatabaseSpec;
import dev.slipway.api.v1alpha1.spec.ManagedUpgradeSpec;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.plan.PlanOutcome;
import dev.slipway.core.upgrade.ExplicitRestore;
import dev.slipway.core.upgrade.FirstInstall;
import dev.slipway.core.upgrade.ImageRollback;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeSequence;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.kubernetes.backup.BackupRestorer;
import dev.slipway.kubernetes.observability.UpgradeMetrics;
import dev.slipway.kubernetes.page.PageConfigMap;
import dev.slipway.kubernetes.status.Conditions;
import dev.slipway.kubernetes.status.Conditions.Type;
import dev.slipway.kubernetes.status.EventReason;
import dev.slipway.kubernetes.status.EventRecorder;
import dev.slipway.kubernetes.status.PlanStatuses;
import dev.slipway.kubernetes.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Drives one upgrade through {@link UpgradeStep}'s algorithm. Before a step starts, its position is checkpointed in
 * {@code status.upgrade}; when it completes, the next position is. A crashed operator therefore resumes at the step
 * it was in, which is safe because every step is idempotent. History is written in the same status update that
 * clears the checkpoint, so it is written exactly once.
 */
@ApplicationScoped
public class UpgradeExecutor {

    private static final Logger LOG = Logger.getLogger(UpgradeExecutor.class);

    /** Where the upgrade stands after a pass, and when to look again (null: only when the spec changes). */
    public record Outcome(ManagedUpgrade resource, Duration requeue) {
    }

    /**
     * Told after every checkpoint: a step's display key, and whether the step has just begun or just completed. The
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
    private final EventRecorder events;
    private final UpgradeMetrics metrics;
    private final KubernetesClient client;
    private final Clock clock;

    public UpgradeExecutor(StepRunner runner, PageConfigMap pageConfigMap, EventRecorder events, UpgradeMetrics metrics,
            KubernetesClient client, Clock clock) {
        this.runner = runner;
        this.pageConfigMap = pageConfigMap;
        this.events = events;
        this.metrics = metrics;
        this.client = client;
        this.clock = clock;
    }

    /** A new checkpoint for the planned upgrade, at Preflight, with the backup it will take (if any) planned. */
    public static UpgradeProgress begin(PlanOutcome.Planned plan, ManagedUpgradeSpec spec, String override,
            Instant now) {
        DatabaseSpec database = spec.getDatabase();
        UpgradeProgress progress = new UpgradeProgress();
        progress.setFrom(plan.current() == null ? FirstInstall.NOT_INSTALLED : plan.current().toString());
        progress.setTo(plan.target().toString());
        progress.setHops(PlanStatuses.hops(plan, spec));
        Position first = UpgradeSequence.first();
        progress.setStep(first.step());
        progress.setHop(first.hop());
        progress.setStartedAt(now.toString());
        progress.setStepStartedAt(now.toString());
        progress.setOverride(override);
        progress.setCommitted(false);
        progress.setSteps(new ArrayList<>());
        progress.setBackup(DatabaseBackup.planned(database, progress.getHops()));
        return progress;
    }

    public Outcome advance(ManagedUpgrade resource, Context<ManagedUpgrade> context, UpgradeInputs in) {
        while (true) {
            Instant now = clock.instant();
            ManagedUpgradeStatus status = client.getKubernetesSerialization().clone(resource.getStatus());
            UpgradeProgress progress = status.getUpgrade();
            if (progress == null || progress.getResult() != null) {
                return new Outcome(resource, Duration.ofSeconds(1));
            }
            if (progress.getSteps() == null) {
                // A status edited by hand may lack the list; no records means no step has begun.
                progress.setSteps(new ArrayList<>());
            }
            Conditions conditions = new Conditions(status.getConditions(), now, resource.getMetadata().getGeneration());
            Position position = UpgradeTimeline.position(progress);
            List<HopStatus> hops = progress.getHops();
            String stepName = UpgradeTimeline.label(position, hops);
            String key = UpgradeTimeline.key(position, hops);
            if (UpgradeTimeline.record(progress, position).isEmpty()) {
                // Between steps: the only place an upgrade may pause.
                if (UpgradeSequence.isPausePoint(position.step()) && (in.spec().paused() || in.pauseForWindow())) {
                    String why = "paused before: " + stepName
                            + (in.spec().paused() ? " (spec.policy.paused)" : " (the maintenance window closed)");
                    if (status.getPhase() != Phase.Paused) {
                        events.normal(resource, EventReason.UpgradePaused, why);
                    }
                    status.setPhase(Phase.Paused);
                    conditions.set(Type.Progressing, false, "Paused", why);
                    status.setConditions(conditions.buildKeepingOthers());
                    resource = StatusWriter.write(resource, status, context);
                    return new Outcome(resource, in.spec().paused() ? null : in.untilWindowReopens());
                }
                progress.getSteps().add(new StepRecord(position.step(), position.recordedHop(), key, now.toString(), null));
                progress.setStepStartedAt(now.toString());
                status.setPhase(Phase.Upgrading);
                conditions.set(Type.Progressing, true, position.step().name(), stepName);
                status.setConditions(conditions.buildKeepingOthers());
                resource = StatusWriter.write(resource, status, context);
                events.normal(resource, EventReason.StepStarted, stepName);
                checkpointListener.checkpointed(key, false);
                continue;
            }
            status.setPhase(Phase.Upgrading);
            String pausing = in.spec().paused() ? " (pausing when this step completes)" : "";
            conditions.set(Type.Progressing, true, position.step().name(), stepName + pausing);
            conditions.set(Type.Available, false, "Upgrading", "the application is being upgraded to " + progress.getTo());
            StepResult result = attempt(position, resource, status, in, now);
            // The step's work (a migration, say) took time: what follows is recorded as of its end.
            Instant ended = clock.instant();
            if (position.step() == UpgradeStep.Preflight && status.getDatabase() != null) {
                boolean blocking = Boolean.TRUE.equals(status.getDatabase().blocking());
                conditions.set(Type.DatabaseVerified, !blocking, blocking ? "Blocking" : "Verified",
                        "schema " + status.getDatabase().schemaVersion() + ", "
                                + status.getDatabase().findingCount() + " finding(s)" + (blocking ? ", blocking" : ""));
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
                resource = fail(resource, context, status, conditions, position, fail, ended, in);
                if (resource.getStatus().getUpgrade() != null && resource.getStatus().getUpgrade().getResult() != null) {
                    return new Outcome(resource, null);
                }
                continue;
            }
            finishStep(resource, progress, position, ended);
            if (position.step() == UpgradeStep.Migrate) {
                UpgradeTimeline.dropUpdatesTheDatabaseHasPassed(status);
            }
            if (position.step() == UpgradeStep.Migrate && status.getDatabase() != null) {
                conditions.set(Type.DatabaseVerified, true, "Migrated", "schema " + status.getDatabase().schemaVersion()
                        + " after migrating to " + hops.get(position.hop()).version() + " (verified in preflight)");
            }
            Position next = Boolean.TRUE.equals(progress.getExplicitRestore()) ? ExplicitRestore.next(position)
                    : FirstInstall.isInstall(progress.getFrom()) ? FirstInstall.next(position, hops.size())
                    : UpgradeSequence.next(position, UpgradeTimeline.modes(hops), progress.getBackup() != null);
            if (next == null) {
                resource = record(resource, context, status, conditions, ended);
                checkpointListener.checkpointed(key, true);
                return new Outcome(resource, Duration.ofSeconds(1));
            }
            progress.setStep(next.step());
            progress.setHop(next.hop());
            status.setConditions(conditions.buildKeepingOthers());
            resource = StatusWriter.write(resource, status, context);
            checkpointListener.checkpointed(key, true);
        }
    }

    /**
     * Runs the step; an API server's refusal of one of its writes becomes a typed failure that goes through the same
     * rollback-or-hold decision as any other, rather than an exception JOSDK would retry with back-off for ever.
     */
    private StepResult attempt(Position position, ManagedUpgrade resource, ManagedUpgradeStatus status,
            UpgradeInputs in, Instant now) {
        try {
            if (position.step() != UpgradeStep.Preflight) {
                pageConfigMap.publish(resource, UpgradeTimeline.page(resource.getSpec().getProduct(),
                        status.getUpgrade(), status.getHistory(), now));
            }
            return runner.run(position, resource, status, in);
        } catch (KubernetesClientException e) {
            if (!ApiRejection.isRejection(e)) {
                throw e;
            }
            return StepResult.fail(UpgradeFailure.ApiRejected, ApiRejection.describe(e));
        }
    }

    public void setCheckpointListener(CheckpointListener listener) {
        this.checkpointListener = listener == null ? CheckpointListener.NONE : listener;
    }

    private void finishStep(ManagedUpgrade resource, UpgradeProgress progress, Position position, Instant now) {
        List<StepRecord> steps = progress.getSteps();
        for (int i = 0; i < steps.size(); i++) {
            StepRecord record = steps.get(i);
            if (UpgradeTimeline.isOf(record, position) && record.finishedAt() == null) {
                steps.set(i, record.finished(now.toString()));
                metrics.stepEnded(position.step().name(), Duration.between(Instant.parse(record.startedAt()), now));
            }
        }
        events.normal(resource, EventReason.StepCompleted, UpgradeTimeline.label(position, progress.getHops()));
    }

    private ManagedUpgrade fail(ManagedUpgrade resource, Context<ManagedUpgrade> context, ManagedUpgradeStatus status,
            Conditions conditions, Position position, StepResult.Fail fail, Instant now, UpgradeInputs in) {
        UpgradeProgress progress = status.getUpgrade();
        List<HopStatus> hops = progress.getHops();
        progress.setFailedStep(position.step());
        progress.setFailedHop(position.recordedHop());
        progress.setFailureReason(fail.reason());
        progress.setFailureMessage(fail.message());
        events.warning(resource, EventReason.StepFailed, UpgradeTimeline.label(position, hops) + " failed ("
                + fail.reason() + "): " + fail.message());
        LOG.warnf("%s/%s: %s failed (%s): %s", resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
                position.step(), fail.reason(), fail.message());
        boolean pageUp = progress.getOriginalIngress() != null;
        ImageRollback imageRollback = runner.imageRollback(resource, progress, in, position.hop());
        UpgradeSequence.FailureHandling handling = Boolean.TRUE.equals(progress.getExplicitRestore())
                ? ExplicitRestore.onFailure(position.step(), progress.getBackup().restoredAt() != null)
                : FirstInstall.isInstall(progress.getFrom())
                ? FirstInstall.onFailure(position.step(), Boolean.TRUE.equals(progress.getCommitted()))
                : position.step() == UpgradeStep.RollBack || position.step() == UpgradeStep.Restore
                ? (pageUp ? UpgradeSequence.FailureHandling.HoldBehindPage : UpgradeSequence.FailureHandling.RecordFailed)
                : UpgradeSequence.onFailure(position.step(), Boolean.TRUE.equals(progress.getCommitted()),
                        imageRollback, pageUp, DatabaseBackup.restorable(backupSpec(resource), progress.getBackup()));
        boolean undo = handling == UpgradeSequence.FailureHandling.RollBack
                || handling == UpgradeSequence.FailureHandling.Restore;
        boolean install = FirstInstall.isInstall(progress.getFrom());
        if (!undo && !install && Boolean.TRUE.equals(progress.getCommitted()) && startsTheNewVersion(position.step())) {
            // Say why the images were not rolled back, beside what failed.
            imageRollback.refusal().ifPresent(why -> progress.setFailureMessage(fail.message() + "; " + why));
        }
        Optional<String> manualRestore = undo || !Boolean.TRUE.equals(progress.getCommitted()) ? Optional.empty()
                : BackupRestorer.manualProcedure(resource, progress.getBackup());
        manualRestore.ifPresent(how -> progress.setFailureMessage(progress.getFailureMessage() + "; " + how));
        conditions.set(Type.Failing, true, fail.reason().name(), fail.message()
                + manualRestore.map(how -> "; " + how).orElse(""));
        if (undo) {
            UpgradeStep first = handling == UpgradeSequence.FailureHandling.Restore ? UpgradeStep.Restore
                    : UpgradeStep.RollBack;
            progress.setStep(first);
            progress.setStepStartedAt(now.toString());
            conditions.set(Type.Progressing, true, first.name(), (first == UpgradeStep.Restore
                    ? "restoring the backup, then rolling back: " : "rolling back: ") + fail.message());
        } else {
            progress.setResult(UpgradeResult.Failed);
            status.setPhase(Phase.Failed);
            conditions.set(Type.Progressing, false, UpgradeResult.Failed.name(), AdminActions.waitingForAnAdmin(progress));
            if (install) {
                conditions.set(Type.Available, false, "InstallFailed", "the first install of " + progress.getTo()
                        + " failed after migrating the database; it waits for an administrator");
            } else if (handling == UpgradeSequence.FailureHandling.RecordFailed) {
                // A zero-downtime hop: no page is up, the application serves as the failed step left it.
                conditions.set(Type.Available, true, "NoMaintenancePage", "the application keeps serving while the "
                        + "failed upgrade to " + progress.getTo() + " waits for an administrator");
            } else {
                conditions.set(Type.Available, false, "BehindMaintenancePage", "visitors see the maintenance page "
                        + "while the failed upgrade to " + progress.getTo() + " waits for an administrator");
            }
            pageConfigMap.publish(resource, UpgradeTimeline.page(resource.getSpec().getProduct(), progress,
                    status.getHistory(), now));
            events.warning(resource, EventReason.UpgradeFailed, "upgrade to " + progress.getTo() + " failed: "
                    + fail.message());
        }
        status.setConditions(conditions.buildKeepingOthers());
        return StatusWriter.write(resource, status, context);
    }

    private static BackupSpec backupSpec(ManagedUpgrade resource) {
        var database = resource.getSpec().getDatabase();
        return database == null ? null : database.getBackup();
    }

    private static boolean startsTheNewVersion(UpgradeStep step) {
        return step == UpgradeStep.RollOut || step == UpgradeStep.Soak || step == UpgradeStep.Resume
                || step == UpgradeStep.StartStop;
    }

    /** Ends the upgrade: history, current version, metrics; the checkpoint is cleared in the same write. */
    private ManagedUpgrade record(ManagedUpgrade resource, Context<ManagedUpgrade> context, ManagedUpgradeStatus status,
            Conditions conditions, Instant now) {
        UpgradeProgress progress = status.getUpgrade();
        boolean rolledBack = progress.getFailedStep() != null;
        boolean install = FirstInstall.isInstall(progress.getFrom());
        boolean restored = !rolledBack && Boolean.TRUE.equals(progress.getExplicitRestore());
        UpgradeResult result = rolledBack ? UpgradeResult.RolledBack
                : restored ? UpgradeResult.Restored : install ? UpgradeResult.Installed : UpgradeResult.Succeeded;
        String done = install ? "installed " + progress.getTo() : "upgraded from " + progress.getFrom() + " to "
                + progress.getTo();
        UpgradeHistory.append(status, progress, result, now);
        Duration took = Duration.between(Instant.parse(progress.getStartedAt()), now);
        metrics.upgradeEnded(resource.getMetadata().getNamespace(), resource.getMetadata().getName(), result.name(),
                took);
        if (rolledBack && install) {
            conditions.set(Type.Available, false, "NotInstalled", "the first install of " + progress.getTo()
                    + " was rolled back: nothing is installed");
        } else {
            conditions.set(Type.Available, true, rolledBack ? "RolledBack" : restored ? "Restored"
                    : install ? "Installed" : "Upgraded",
                    "the application serves traffic at " + (rolledBack ? progress.getFrom() : progress.getTo()));
        }
        progress.setStep(null);
        if (rolledBack) {
            progress.setResult(UpgradeResult.RolledBack);
            status.setPhase(Phase.Failed);
            status.setCurrentVersion(install ? null : progress.getFrom());
            conditions.set(Type.Progressing, false, result.name(), AdminActions.waitingForAnAdmin(progress));
            pageConfigMap.publish(resource, UpgradeTimeline.page(resource.getSpec().getProduct(), progress,
                    status.getHistory(), now));
            events.warning(resource, EventReason.UpgradeRolledBack, "upgrade to " + progress.getTo()
                    + " was rolled back, " + (install ? "nothing is installed" : "the application runs "
                    + progress.getFrom() + " again") + ": "
                    + progress.getFailureMessage() + ". Set spec.actions.retry to a new value to try again");
        } else if (restored) {
            // Kept like a rolled-back upgrade: the version restored away from is not started again by itself.
            progress.setResult(UpgradeResult.Restored);
            status.setPhase(Phase.Failed);
            status.setCurrentVersion(progress.getTo());
            conditions.set(Type.Progressing, false, result.name(), AdminActions.waitingForAnAdmin(progress));
            conditions.set(Type.Failing, false, result.name(), "the database was restored from backup "
                    + progress.getBackup().database());
            pageConfigMap.publish(resource, UpgradeTimeline.page(resource.getSpec().getProduct(), progress,
                    status.getHistory(), now));
            events.warning(resource, EventReason.UpgradeRestored, "restored backup " + progress.getBackup().database()
                    + " and version " + progress.getTo() + " in " + took.toSeconds() + "s; writes made since "
                    + progress.getBackup().writesSince() + " are kept only in database "
                    + progress.getBackup().failedDatabase());
        } else {
            conditions.set(Type.Progressing, false, result.name(), done + " in " + took.toSeconds() + "s");
            pageConfigMap.publish(resource, UpgradeTimeline.page(resource.getSpec().getProduct(), progress,
                    status.getHistory(), now));
            conditions.set(Type.Failing, false, install ? "Installed" : "Upgraded", "the last upgrade succeeded");
            status.setUpgrade(null);
            status.setCurrentVersion(progress.getTo());
            status.setPhase(Phase.UpToDate);
            events.normal(resource, EventReason.UpgradeSucceeded, done + " in " + took.toSeconds() + "s");
        }
        status.setConditions(conditions.buildKeepingOthers());
        return StatusWriter.write(resource, status, context);
    }
}
