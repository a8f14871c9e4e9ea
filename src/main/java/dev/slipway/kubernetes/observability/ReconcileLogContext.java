package dev.slipway.kubernetes.observability;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.core.upgrade.UpgradeStep;
import org.jboss.logging.MDC;

/**
 * Puts the resource being reconciled (namespace, name) and the upgrade step into the logging MDC, so every log line
 * of a reconcile carries them (JSON logs show them under "mdc"). {@link #enter} replaces all three keys: reconciler
 * threads are pooled, and a value left from another resource must never survive into this one.
 */
public final class ReconcileLogContext {

    public static final String NAMESPACE = "namespace";
    public static final String NAME = "name";
    public static final String STEP = "step";

    private ReconcileLogContext() {
    }

    /** At the start of a reconcile: the resource, and the step its checkpoint says is in progress (if any). */
    public static void enter(ManagedUpgrade resource) {
        MDC.put(NAMESPACE, resource.getMetadata().getNamespace());
        MDC.put(NAME, resource.getMetadata().getName());
        checkpointed(resource.getStatus());
    }

    /**
     * Whenever a status is written: an upgrade checkpoints each step before running it, so from here on the log lines
     * belong to the step this status names (the enum name, as in the step label of the step-duration metric).
     */
    public static void checkpointed(ManagedUpgradeStatus status) {
        UpgradeStep step = status == null || status.getUpgrade() == null ? null : status.getUpgrade().getStep();
        if (step == null) {
            MDC.remove(STEP);
        } else {
            MDC.put(STEP, step.name());
        }
    }
}
