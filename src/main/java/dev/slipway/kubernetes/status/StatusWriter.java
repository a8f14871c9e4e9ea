package dev.slipway.kubernetes.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

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
        if (sameApartFromRefreshTimes(resource.getStatus(), next, context.getClient().getKubernetesSerialization())) {
            return resource;
        }
        return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, fresh -> {
            fresh.setStatus(next);
            return fresh;
        });
    }

    /**
     * Compared as the API server stores them (JSON), so the status classes need no hand-written equality, and
     * without the two refresh times.
     */
    public static boolean sameApartFromRefreshTimes(ManagedUpgradeStatus current, ManagedUpgradeStatus next,
            KubernetesSerialization json) {
        if (current == null || next == null) {
            return current == next;
        }
        return withoutRefreshTimes(json.convertValue(current, JsonNode.class))
                .equals(withoutRefreshTimes(json.convertValue(next, JsonNode.class)));
    }

    private static JsonNode withoutRefreshTimes(JsonNode status) {
        if (status.get("lastFeedPoll") instanceof ObjectNode poll) {
            poll.remove("at");
        }
        if (status.get("maintenance") instanceof ObjectNode maintenance) {
            maintenance.remove("evaluatedAt");
        }
        return status;
    }
}
