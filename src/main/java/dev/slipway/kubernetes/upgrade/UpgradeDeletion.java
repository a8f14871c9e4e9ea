package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.kubernetes.page.PageTeardown;
import dev.slipway.kubernetes.spec.ResolvedSpec;
import dev.slipway.kubernetes.spec.SpecReader;
import dev.slipway.kubernetes.status.Conditions.Type;
import dev.slipway.kubernetes.status.Conditions;
import dev.slipway.kubernetes.status.EventReason;
import dev.slipway.kubernetes.status.EventRecorder;
import dev.slipway.kubernetes.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * What deleting a ManagedUpgrade does to the application, so that deleting it never leaves users behind a page no
 * one manages any more:
 * <ul>
 * <li>idle (no upgrade, or the last one ended rolled back or abandoned): the page objects are removed;</li>
 * <li>mid-upgrade before any hop committed: images, replicas and the Ingress are restored as a rollback would, then
 * the page objects are removed;</li>
 * <li>after a hop committed (running, or held {@code Failed}): the database is ahead of the old images, so nothing can
 * be restored safely by itself. The page stays up and deletion waits until an administrator sets
 * {@code spec.actions.abandon} (the spec stays editable while the ManagedUpgrade is being deleted); then traffic and
 * replicas are restored as an abandon does, and deletion finishes.</li>
 * </ul>
 */
@ApplicationScoped
public class UpgradeDeletion {

    private static final Logger LOG = Logger.getLogger(UpgradeDeletion.class);
    /** How often a deletion that waits for an abandon looks at the spec again (a spec edit also wakes it). */
    static final Duration WAIT_FOR_ABANDON = Duration.ofSeconds(30);

    private final UpgradeUndo undo;
    private final StepRunner steps;
    private final PageTeardown page;
    private final EventRecorder events;
    private final KubernetesClient client;
    private final Clock clock;

    public UpgradeDeletion(UpgradeUndo undo, StepRunner steps, PageTeardown page, EventRecorder events, KubernetesClient client,
            Clock clock) {
        this.undo = undo;
        this.steps = steps;
        this.page = page;
        this.events = events;
        this.client = client;
        this.clock = clock;
    }

    public DeleteControl cleanup(ManagedUpgrade resource, Context<ManagedUpgrade> context) {
        UpgradeProgress progress = resource.getStatus() == null ? null : resource.getStatus().getUpgrade();
        boolean running = progress != null && progress.getResult() == null;
        boolean held = progress != null && progress.getResult() == UpgradeResult.Failed;
        if (!running && !held) {
            page.remove(resource);
            events.normal(resource, EventReason.DeletionCleanedUp, "maintenance page objects removed");
            return DeleteControl.defaultDelete();
        }
        ResolvedSpec spec;
        try {
            spec = SpecReader.read(resource.getSpec());
        } catch (InvalidSpecException e) {
            return refuse(resource, context, "the upgrade to " + progress.getTo() + " cannot be undone while the spec is"
                    + " invalid (" + e.getMessage() + "); fix the spec so that its workloads and Ingress can be restored");
        }
        UpgradeInputs in = new UpgradeInputs(spec, resource.getSpec().getDatabase(), null, null, false, null);
        if (running && !Boolean.TRUE.equals(progress.getCommitted())) {
            StepResult rolledBack = steps.rollBack(resource, progress, in);
            if (rolledBack instanceof StepResult.Wait wait) {
                // Traffic goes back only once the old images are Ready; until then visitors stay on the page.
                return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.after());
            }
            if (rolledBack instanceof StepResult.Fail failed) {
                return refuse(resource, context, "deletion waits: the rollback of the upgrade to " + progress.getTo()
                        + " has not finished: " + failed.message());
            }
            page.remove(resource);
            LOG.infof("%s/%s deleted during the upgrade to %s: images, replicas and traffic restored",
                    resource.getMetadata().getNamespace(), resource.getMetadata().getName(), progress.getTo());
            events.warning(resource, EventReason.DeletionCleanedUp, "deleted during the upgrade to " + progress.getTo()
                    + " before any migration committed: images, replicas and traffic restored, page removed");
            return DeleteControl.defaultDelete();
        }
        if (abandonRequested(resource)) {
            undo.abandon(resource, progress, in);
            page.remove(resource);
            events.warning(resource, EventReason.DeletionCleanedUp, "upgrade to " + progress.getTo() + " abandoned on "
                    + "deletion: traffic and replicas restored, the database and images left as they are, page removed");
            return DeleteControl.defaultDelete();
        }
        return refuse(resource, context, "deletion waits: the upgrade to " + progress.getTo() + " migrated the database"
                + " past what the old images run, so the application stays behind the maintenance page. Set"
                + " spec.actions.abandon to a new value to restore traffic as it is and finish the deletion");
    }

    private static boolean abandonRequested(ManagedUpgrade resource) {
        String requested = resource.getSpec().getActions() == null ? null : resource.getSpec().getActions().getAbandon();
        String handled = resource.getStatus().getHandledActions() == null ? null
                : resource.getStatus().getHandledActions().getAbandon();
        return requested != null && !requested.equals(handled);
    }

    private DeleteControl refuse(ManagedUpgrade resource, Context<ManagedUpgrade> context, String why) {
        ManagedUpgradeStatus status = client.getKubernetesSerialization().clone(resource.getStatus());
        Conditions conditions = new Conditions(status.getConditions(), clock.instant(),
                resource.getMetadata().getGeneration());
        conditions.set(Type.Deleting, true, "WaitingForAbandon", why);
        status.setConditions(conditions.buildKeepingOthers());
        boolean alreadySaid = resource.getStatus().getConditions() != null && resource.getStatus().getConditions()
                .stream().anyMatch(c -> Type.Deleting.name().equals(c.getType()) && why.equals(c.getMessage()));
        if (!alreadySaid) {
            // Said once, when the reason appears or changes, not on every look nor on every spec edit.
            events.warning(resource, EventReason.DeletionBlocked, why);
        }
        StatusWriter.write(resource, status, context);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT_FOR_ABANDON);
    }
}
