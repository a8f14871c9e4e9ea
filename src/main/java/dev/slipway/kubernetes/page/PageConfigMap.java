package dev.slipway.kubernetes.page;

import dev.slipway.api.page.PageStatus;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Objects;

/** The page's content: the single source of truth for what visitors see, written only when it changed. */
@ApplicationScoped
public class PageConfigMap {

    private final KubernetesClient client;

    public PageConfigMap(KubernetesClient client) {
        this.client = client;
    }

    public void publish(ManagedUpgrade resource, PageStatus status) {
        String json = status.toJson();
        ConfigMap existing = client.configMaps().inNamespace(resource.getMetadata().getNamespace())
                .withName(PageNames.name(resource)).get();
        if (existing != null && existing.getData() != null
                && Objects.equals(existing.getData().get(PageStatus.CONFIG_MAP_KEY), json)) {
            return;
        }
        ConfigMap desired = desired(resource, status);
        if (existing == null) {
            client.resource(desired).createOr(NonDeletingOperation::update);
        } else {
            // Published on every pass of an upgrade: one merge patch, not a refused create, a read and a replace.
            client.resource(desired).patch(PatchContext.of(PatchType.JSON_MERGE));
        }
    }

    public static ConfigMap desired(ManagedUpgrade resource, PageStatus status) {
        return new ConfigMapBuilder().withMetadata(PageNames.metadata(resource))
                .withData(Map.of(PageStatus.CONFIG_MAP_KEY, status.toJson())).build();
    }
}
