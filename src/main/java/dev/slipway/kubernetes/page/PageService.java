package dev.slipway.kubernetes.page;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.MaintenancePageServiceType;
import dev.slipway.kubernetes.spec.MaintenancePageReader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * The Service the Ingress points at while the application is down, of the type {@code spec.maintenancePage.serviceType}
 * asks for (ClusterIP, or NodePort for controllers that route to node ports).
 */
@ApplicationScoped
public class PageService {

    private final KubernetesClient client;

    public PageService(KubernetesClient client) {
        this.client = client;
    }

    public void ensure(ManagedUpgrade resource) {
        Service existing = client.services().inNamespace(resource.getMetadata().getNamespace())
                .withName(PageNames.name(resource)).get();
        Service desired = desired(resource);
        if (existing == null) {
            client.resource(desired).createOr(NonDeletingOperation::update);
        } else if (!owned(existing).equals(owned(desired))) {
            // Edited in place: the cluster IP the API server allocated is immutable and stays.
            existing.getSpec().setType(desired.getSpec().getType());
            existing.getSpec().setSelector(desired.getSpec().getSelector());
            existing.getSpec().setPorts(desired.getSpec().getPorts());
            client.resource(existing).update();
        }
    }

    /** What Slipway sets: the API server adds cluster IPs, node ports, protocols and policies. */
    private static List<Object> owned(Service service) {
        var spec = service.getSpec();
        String type = spec.getType() == null ? MaintenancePageServiceType.ClusterIP.name() : spec.getType();
        return List.of(type, spec.getSelector() == null ? Map.of() : spec.getSelector(),
                spec.getPorts() == null ? List.of() : spec.getPorts().stream().map(PageService::port).toList());
    }

    private static String port(ServicePort port) {
        return port.getName() + ":" + port.getPort() + "->" + port.getTargetPort().getIntVal();
    }

    public static Service desired(ManagedUpgrade resource) {
        MaintenancePageServiceType type = MaintenancePageReader.read(resource.getSpec().getMaintenancePage())
                .serviceType();
        return new ServiceBuilder().withMetadata(PageNames.metadata(resource))
                .withNewSpec().withType(type.name()).withSelector(PageNames.selector(resource))
                .addNewPort().withName("http").withPort(PageNames.SERVICE_PORT)
                .withTargetPort(new IntOrString(PageNames.PAGE_PORT)).endPort()
                .endSpec().build();
    }
}
