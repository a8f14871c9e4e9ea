package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.FirstInstall;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.kubernetes.observability.UpgradeMetrics;
import dev.slipway.kubernetes.page.PageConfigMap;
import dev.slipway.kubernetes.spec.ResolvedSpec;
import dev.slipway.kubernetes.status.Conditions.Type;
import dev.slipway.kubernetes.status.Conditions;
import dev.slipway.kubernetes.status.EventReason;
import dev.slipway.kubernetes.status.EventRecorder;
import dev.slipway.kubernetes.status.StatusWriter;
import dev.slipway.releaseapi.ReleaseCatalog;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin's one-shot actions in {@code spec.actions}: each new value is acted on once and remembered in
 * {@code status.handledActions}. {@code startNow} starts a planned upgrade outside the window; {@code retry} and
 * {@code abandon} act on an upgrade that ended without completing.
 */
@ApplicationScoped
public class AdminActions {

    private final UpgradeExecutor executor;
    private final UpgradeUndo undo;
    private final RestoreRequests restores;
    private final PageConfigMap pageConfigMap;
    private final EventRecorder events;
    private final UpgradeMetrics metrics;
    private final KubernetesClient client;
    private final Clock clock;

    public AdminActions(UpgradeExecutor executor, UpgradeUndo undo, RestoreRequests restores, PageConfigMap pageConfigMap, EventRecorder events,
            UpgradeMetrics metrics, KubernetesClient client, Clock clock) {
        this.executor = executor;
        this.undo = undo;
        this.restores = restores;
        this.pageConfigMap = pageConfigMap;
        this.events = events;
        this.metrics = metrics;
        this.client = client;
        this.clock = clock;
    }

    /**
     * The person whose change through the CLI or the console the resource last carries (the
     * {@value SpecChange#REQUESTED_BY} annotation they write with each patch), if any.
     */
    public static Optional<String> requester(ManagedUpgrade resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(SpecChange.REQUESTED_BY))
                .filter(user -> !user.isBlank());
    }

    /**
     * {@code spec.actions.restore} not acted on yet: refused (condition RestoreRequested), or the explicit restore run
     * to begin ({@link RestoreRequests}); empty when there is none or it was refused.
     */
    public Optional<UpgradeProgress> restoreRequested(ManagedUpgrade resource, ManagedUpgradeStatus next,
            Conditions conditions, ResolvedSpec spec, ReleaseCatalog catalog, Instant now) {
        return RestoreRequests.pending(resource, next) ? restores.act(resource, next, conditions, spec, catalog, now)
                : Optional.empty();
    }

    /** Whether {@code spec.actions.startNow} holds a value not acted on yet. */
    public static boolean startNowRequested(ManagedUpgrade resource, ManagedUpgradeStatus status) {
        String requested = resource.getSpec().getActions() == null ? null : resource.getSpec().getActions().getStartNow();
        return requested != null && !requested.equals(handled(status).getStartNow());
    }

    /**
     * Marks a pending start-now as acted on when an upgrade starts (so an old value never starts a later one) and
     * returns the override to record, when the start uses it to leave the window aside.
     */
    public static String consumeStartNow(ManagedUpgrade resource, ManagedUpgradeStatus status, boolean overridesWindow) {
        if (!startNowRequested(resource, status)) {
            return null;
        }
        String value = resource.getSpec().getActions().getStartNow();
        ActionsSpec handled = handled(status);
        handled.setStartNow(value);
        status.setHandledActions(handled);
        return overridesWindow ? "started outside the maintenance window by spec.actions.startNow=" + value : null;
    }

    /**
     * An upgrade that ended without completing waits here. Retry resumes a held one from its failed step, or clears a
     * rolled-back or abandoned one so that the plan starts afresh; abandon restores traffic and replicas of a held
     * one and leaves the database and images as they are. Neither starts the failed target again by itself.
     */
    public UpgradeExecutor.Outcome onEnded(ManagedUpgrade resource, Context<ManagedUpgrade> context, UpgradeInputs in) {
        ManagedUpgradeStatus status = client.getKubernetesSerialization().clone(resource.getStatus());
        UpgradeProgress progress = status.getUpgrade();
        Instant now = clock.instant();
        Conditions conditions = new Conditions(status.getConditions(), now, resource.getMetadata().getGeneration());
        ActionsSpec actions = resource.getSpec().getActions();
        ActionsSpec handled = handled(status);
        status.setHandledActions(handled);
        if (actions != null && actions.getAbandon() != null && !actions.getAbandon().equals(handled.getAbandon())) {
            handled.setAbandon(actions.getAbandon());
            if (progress.getResult() == UpgradeResult.Failed) {
                DatabaseBackup.markWritesSince(progress, now);
                undo.abandon(resource, progress, in);
                progress.setResult(UpgradeResult.Abandoned);
                progress.setStep(null);
                UpgradeHistory.append(status, progress, UpgradeResult.Abandoned, now);
                // Traffic is back: a visitor who still reaches the page (a cached route) is told so.
                pageConfigMap.publish(resource, UpgradeTimeline.page(resource.getSpec().getProduct(), progress,
                        status.getHistory(), now));
                metrics.upgradeEnded(resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
                        UpgradeResult.Abandoned.name(),
                        Duration.between(Instant.parse(progress.getStartedAt()), now));
                events.warning(resource, EventReason.UpgradeAbandoned, "upgrade to " + progress.getTo()
                        + " abandoned by " + requester(resource).orElse("an administrator")
                        + "; traffic restored, the database left as it is");
                conditions.set(Type.Failing, false, UpgradeResult.Abandoned.name(), "the failed upgrade was abandoned");
            }
        } else if (actions != null && actions.getRetry() != null && !actions.getRetry().equals(handled.getRetry())) {
            handled.setRetry(actions.getRetry());
            conditions.set(Type.Failing, false, "Retrying", "retry requested by "
                    + requester(resource).orElse("an administrator"));
            if (progress.getResult() == UpgradeResult.Failed) {
                progress.setResult(null);
                // A retried undo (Restore or RollBack after a failed step) still ends RolledBack, not Succeeded:
                // Record tells the two apart by the failure, so it stays. An explicit restore's Restore goes forward.
                boolean undoing = !Boolean.TRUE.equals(progress.getExplicitRestore())
                        && (progress.getStep() == UpgradeStep.Restore || progress.getStep() == UpgradeStep.RollBack);
                if (!undoing) {
                    progress.setFailedStep(null);
                    progress.setFailedHop(null);
                    progress.setFailureReason(null);
                    progress.setFailureMessage(null);
                }
                progress.setStepStartedAt(now.toString());
                status.setConditions(conditions.buildKeepingOthers());
                return executor.advance(StatusWriter.write(resource, status, context), context, in);
            }
            status.setUpgrade(null);
            status.setConditions(conditions.buildKeepingOthers());
            return new UpgradeExecutor.Outcome(StatusWriter.write(resource, status, context), Duration.ofSeconds(1));
        }
        status.setPhase(Phase.Failed);
        conditions.set(Type.Progressing, false, progress.getResult().name(), waitingForAnAdmin(progress));
        status.setConditions(conditions.buildKeepingOthers());
        return new UpgradeExecutor.Outcome(StatusWriter.write(resource, status, context), null);
    }

    /** What the ended upgrade waits for, in the words an admin acts on. */
    static String waitingForAnAdmin(UpgradeProgress progress) {
        String to = progress.getTo();
        return switch (Objects.requireNonNull(progress.getResult())) {
            case Failed -> "upgrade to " + to + " stopped: " + progress.getFailureMessage() + ". The application stays"
                    + " behind the maintenance page. Fix the cause, then set spec.actions.retry to a new value to go"
                    + " on from the failed step, or spec.actions.abandon to a new value to restore traffic as it is";
            case RolledBack -> "upgrade to " + to + " was rolled back and " + (FirstInstall.isInstall(progress.getFrom())
                    ? "nothing is installed" : "the application runs " + progress.getFrom() + " again") + ": " + progress.getFailureMessage() + ". " + to + " is not tried again until"
                    + " spec.actions.retry is set to a new value or a newer release is planned";
            case Abandoned -> "upgrade to " + to + " was abandoned; traffic is back on the application, the database"
                    + " and images were left as they were. " + to + " is not tried again until spec.actions.retry is"
                    + " set to a new value or a newer release is planned";
            case Restored -> "backup " + progress.getBackup().database() + " was restored and the application runs " + to
                    + " again (spec.actions.restore); writes made since " + progress.getBackup().writesSince()
                    + " are kept only in database " + progress.getBackup().failedDatabase() + ". "
                    + progress.getFrom() + " is not installed again until spec.actions.retry is set to a new value or"
                    + " a newer release is planned";
            case Succeeded -> "upgraded to " + to;
            case Installed -> "installed " + to;
        };
    }

    private static ActionsSpec handled(ManagedUpgradeStatus status) {
        return status.getHandledActions() == null ? new ActionsSpec() : status.getHandledActions();
    }
}
