package dev.slipway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ApplicationSpec;
import dev.slipway.api.v1alpha1.spec.IngressRef;
import dev.slipway.api.v1alpha1.spec.MaintenancePageSpec;
import dev.slipway.api.v1alpha1.spec.ManagedUpgradeSpec;
import dev.slipway.api.v1alpha1.spec.ReleaseSourceSpec;
import dev.slipway.demo.SampleApplication;
import dev.slipway.kubernetes.OperatorLifecycle;
import dev.slipway.kubernetes.observability.WatchedNamespaces;
import dev.slipway.testing.cluster.AccessReviewDispatcher;
import dev.slipway.testing.cluster.ConsoleRoles;
import dev.slipway.testing.cluster.InjectApiServer;
import dev.slipway.testing.cluster.OperatorIdentity;
import dev.slipway.testing.cluster.RbacAuthorizer;
import dev.slipway.testing.cluster.RbacDispatcher;
import dev.slipway.testing.cluster.RbacRecorder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Operator tests run against the fabric8 CRUD API server (no controllers: tests play kubelet) with the committed CRD
 * applied, and start the injected Operator once, as the {@code operator} subcommand does; it stops with the application.
 * The operator's requests pass the RBAC the Helm chart grants it ({@link RbacDispatcher}: 403 for anything else),
 * rendered for the install mode its configuration asks for (all namespaces, or the namespace list of
 * {@code quarkus.operator-sdk.controllers.managedupgrade.namespaces} as the chart's watchNamespaces), and what it used
 * is recorded ({@link RbacRecorder}); beneath RBAC the API server answers TokenReviews and SubjectAccessReviews
 * ({@link AccessReviewDispatcher}). {@link #client} is not the operator: it creates fixtures and plays the other
 * actors of a cluster, unchecked ({@link OperatorIdentity}).
 */
public abstract class OperatorTestBase {

    private static Operator started;
    private static KubernetesClient fixtures;
    private static String rbacMode;
    private static AccessReviewDispatcher reviews;

    /** The test's own client, for fixtures and assertions: what an administrator or a controller would do. */
    protected KubernetesClient client;

    /** The API server's TokenReview and SubjectAccessReview: register the tokens the test's users present. */
    protected AccessReviewDispatcher accessReviews;

    /** The application's client: the operator's identity, checked against the chart's RBAC. */
    @Inject
    KubernetesClient operatorClient;

    @Inject
    protected Operator operator;

    @Inject
    OperatorLifecycle lifecycle;

    @Inject
    WatchedNamespaces watchedNamespaces;

    /** The server of {@code @WithKubernetesTestServer}, when the test uses it. */
    @KubernetesTestServer
    KubernetesServer testServer;

    /** The server of {@code @WithRealisticKubernetes}, when the test uses that. */
    @InjectApiServer
    KubernetesMockServer realisticServer;

    @BeforeEach
    void applyCrdAndStartOperator() {
        synchronized (OperatorTestBase.class) {
            if (started != operator) {
                RbacAuthorizer rbac = watchedNamespaces.all() ? RbacAuthorizer.allNamespaces()
                        : RbacAuthorizer.watching(watchedNamespaces.listed().stream().sorted().toList());
                reviews = AccessReviewDispatcher.install(apiServer());
                RbacDispatcher.install(apiServer(), rbac, RbacRecorder.get());
                rbacMode = rbac.mode();
                RbacRecorder.get().testClass(getClass(), rbacMode);
                if (fixtures != null) {
                    fixtures.close();
                }
                fixtures = OperatorIdentity.fixtureClient(operatorClient);
                Crds.applyManagedUpgrade(fixtures);
                lifecycle.start();
                started = operator;
            }
        }
        client = fixtures;
        accessReviews = reviews;
        RbacRecorder.get().testClass(getClass(), rbacMode);
    }

    /**
     * The test's API server. Quarkus injects a test resource's server into one matching field only, which may be the
     * subclass's own {@code @KubernetesTestServer} field rather than ours, so every such field is looked at.
     */
    private KubernetesMockServer apiServer() {
        for (Class<?> type = getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(KubernetesTestServer.class)
                        || field.isAnnotationPresent(InjectApiServer.class)) {
                    field.setAccessible(true);
                    Object server;
                    try {
                        server = field.get(this);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                    if (server instanceof KubernetesServer quarkusServer) {
                        return quarkusServer.getKubernetesMockServer();
                    }
                    if (server instanceof KubernetesMockServer realistic) {
                        return realistic;
                    }
                }
            }
        }
        throw new IllegalStateException(getClass().getName()
                + " needs @WithKubernetesTestServer or @WithRealisticKubernetes: the operator tests run behind RBAC");
    }

    /** Writes what the operator used; a request the chart's RBAC refused fails the test, as it fails on a cluster. */
    @AfterEach
    void writeRbacUsageAndFailOnRefusals() {
        RbacRecorder.get().flush();
        assertThat(RbacRecorder.get().takeRefusals())
                .as("requests of the operator that the Helm chart's RBAC (%s) refuses", rbacMode).isEmpty();
    }

    /**
     * A bearer token for the status API: a person the test API server's TokenReview knows, bound cluster-wide to the
     * chart's {@code slipway-console-viewer} ClusterRole, so the operator's reviews of it go through the chart's RBAC.
     */
    protected String statusReaderToken() {
        String token = "status-reader-token-" + getClass().getSimpleName();
        accessReviews.register(token, "status-reader");
        ConsoleRoles.bindClusterWide(client, "status-reader", ConsoleRoles.VIEWER);
        return token;
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
