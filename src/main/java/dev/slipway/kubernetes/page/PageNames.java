package dev.slipway.kubernetes.page;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;

/** Names and labels shared by the maintenance page's objects; all are owned by the ManagedUpgrade. */
public final class PageNames {

    public static final int PAGE_PORT = 8080;
    public static final int SERVICE_PORT = 80;

    private PageNames() {
    }

    public static String name(ManagedUpgrade resource) {
        return resource.getMetadata().getName() + "-maintenance";
    }

    public static Map<String, String> selector(ManagedUpgrade resource) {
        return Map.of("app.kubernetes.io/name", "slipway-maintenance-page",
                "app.kubernetes.io/instance", resource.getMetadata().getName());
    }

    static ObjectMeta metadata(ManagedUpgrade resource) {
        return new ObjectMetaBuilder().withName(name(resource)).withNamespace(resource.getMetadata().getNamespace())
                .withLabels(Map.of("app.kubernetes.io/name", "slipway-maintenance-page",
                        "app.kubernetes.io/instance", resource.getMetadata().getName(),
                        "app.kubernetes.io/managed-by", "slipway"))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind()).withName(resource.getMetadata().getName())
                        .withUid(resource.getMetadata().getUid()).withController(true).build())
                .build();
    }
}
