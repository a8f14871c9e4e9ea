package dev.slipway.kubernetes.status;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.Objects;

/**
 * Replaces a resource's status only when it changed, with optimistic locking (a concurrent writer causes a 409 and
 * a retried reconcile, never a lost checkpoint), and caches the result so the next reconcile sees it. The times of
 * the last feed poll and of the window evaluation alone are not a change: refreshing them would cost the API server
 * one write per resource per poll interval while nothing an admin acts on moved (the feed metrics carry the latest
 * poll time).
 */
public final class StatusWriter {

    private StatusWriter() {
    }

    /** Returns the resource as it now stands on the server (the same object when nothing changed). */
    public static ManagedUpgrade write(ManagedUpgrade resource, ManagedUpgradeStatus next, Context<ManagedUpgrade> context) {
        dev.slipway.kubernetes.observability.ReconcileLogContext.checkpointed(next);
        if (Objects.equals(resource.getStatus(), next) || onlyRefreshTimesDiffer(resource.getStatus(), next, context)) {
            return resource;
        }
        return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, fresh -> {
            fresh.setStatus(next);
            return fresh;
        });
    }

    private static boolean onlyRefreshTimesDiffer(ManagedUpgradeStatus current, ManagedUpgradeStatus next,
            Context<ManagedUpgrade> context) {
        if (current == null) {
            return false;
        }
        ManagedUpgradeStatus withCurrentTimes = context.getClient().getKubernetesSerialization().clone(next);
        if (current.getLastFeedPoll() != null && withCurrentTimes.getLastFeedPoll() != null) {
            withCurrentTimes.getLastFeedPoll().setAt(current.getLastFeedPoll().getAt());
        }
        if (current.getMaintenance() != null && withCurrentTimes.getMaintenance() != null) {
            withCurrentTimes.getMaintenance().setEvaluatedAt(current.getMaintenance().getEvaluatedAt());
        }
        return Objects.equals(current, withCurrentTimes);
    }
}
