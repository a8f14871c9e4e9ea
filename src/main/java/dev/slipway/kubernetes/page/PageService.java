package dev.slipway.kubernetes.page;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import jakarta.enterprise.context.ApplicationScoped;

/** The Service the Ingress points at while the application is down. */
@ApplicationScoped
public class PageService {

    private final KubernetesClient client;

    public PageService(KubernetesClient client) {
        this.client = client;
    }

    public void ensure(ManagedUpgrade resource) {
        Service existing = client.services().inNamespace(resource.getMetadata().getNamespace())
                .withName(PageNames.name(resource)).get();
        if (existing != null) {
            return;
        }
        client.resource(desired(resource)).createOr(NonDeletingOperation::update);
    }

    public static Service desired(ManagedUpgrade resource) {
        return new ServiceBuilder().withMetadata(PageNames.metadata(resource))
                .withNewSpec().withSelector(PageNames.selector(resource))
                .addNewPort().withName("http").withPort(PageNames.SERVICE_PORT)
                .withTargetPort(new IntOrString(PageNames.PAGE_PORT)).endPort()
                .endSpec().build();
    }
}
