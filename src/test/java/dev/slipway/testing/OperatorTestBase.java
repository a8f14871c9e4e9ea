package dev.slipway.testing;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ApplicationSpec;
import dev.slipway.api.v1alpha1.spec.IngressRef;
import dev.slipway.api.v1alpha1.spec.MaintenancePageSpec;
import dev.slipway.api.v1alpha1.spec.ManagedUpgradeSpec;
import dev.slipway.api.v1alpha1.spec.ReleaseSourceSpec;
import dev.slipway.demo.SampleApplication;
import dev.slipway.kubernetes.OperatorLifecycle;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.javaoperatorsdk.operator.Operator;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;

/**
 * Operator tests run against the fabric8 CRUD API server (no controllers: tests play kubelet) with the committed CRD
 * applied, and start the injected Operator once, as the {@code operator} subcommand does; it stops with the application.
 */
public abstract class OperatorTestBase {

    private static Operator started;

    @Inject
    protected KubernetesClient client;

    @Inject
    protected Operator operator;

    @Inject
    OperatorLifecycle lifecycle;

    @BeforeEach
    void applyCrdAndStartOperator() {
        synchronized (OperatorTestBase.class) {
            if (started == operator) {
                return;
            }
            Crds.applyManagedUpgrade(client);
            lifecycle.start();
            started = operator;
        }
    }

    protected void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .createOr(NonDeletingOperation::update);
    }

    /** A minimal valid resource: one component "web", an Ingress "web", the installed version stated. */
    protected static ManagedUpgrade managedUpgrade(String namespace, String name, String feedUrl, String product,
            String installedVersion) {
        ManagedUpgrade resource = new ManagedUpgrade();
        resource.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        ManagedUpgradeSpec spec = new ManagedUpgradeSpec();
        spec.setProduct(product);
        ReleaseSourceSpec source = new ReleaseSourceSpec();
        source.setUrl(feedUrl);
        source.setPollInterval("5s");
        spec.setReleaseSource(source);
        ApplicationSpec application = new ApplicationSpec();
        application.setInstalledVersion(installedVersion);
        application.setComponents(List.of(SampleApplication.component("web")));
        IngressRef ingress = new IngressRef();
        ingress.setName("web");
        application.setIngress(ingress);
        spec.setApplication(application);
        // The CRUD API server has no controller to converge: the page may go as soon as the Ingress is restored.
        MaintenancePageSpec page = new MaintenancePageSpec();
        page.setDrainAfterRestore("0s");
        spec.setMaintenancePage(page);
        resource.setSpec(spec);
        return resource;
    }

    protected ManagedUpgrade get(String namespace, String name) {
        return client.resources(ManagedUpgrade.class).inNamespace(namespace).withName(name).get();
    }

    /** Changes the spec the way kubectl edit does: a patch against the latest version, never a stale update. */
    protected void editSpec(String namespace, String name, java.util.function.Consumer<ManagedUpgrade> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.resources(ManagedUpgrade.class).inNamespace(namespace).withName(name).edit(r -> {
                    change.accept(r);
                    return r;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // The operator wrote status in between; like kubectl edit, try again on the latest version.
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    protected ManagedUpgrade awaitStatus(String namespace, String name, Predicate<ManagedUpgrade> condition) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(namespace, name), r -> r != null && r.getStatus() != null && condition.test(r));
    }
}
