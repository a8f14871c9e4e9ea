package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.MaintenancePageServiceType;
import dev.slipway.api.v1alpha1.spec.MaintenancePageSpec;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.demo.cluster.GarbageCollector;
import dev.slipway.demo.cluster.WorkloadControllers;
import dev.slipway.kubernetes.page.PageAccess;
import dev.slipway.kubernetes.page.PageDeployment;
import dev.slipway.kubernetes.page.PageDisruptionBudget;
import dev.slipway.kubernetes.page.PageNames;
import dev.slipway.kubernetes.page.PagePullSecrets;
import dev.slipway.kubernetes.page.PageService;
import dev.slipway.kubernetes.page.PageTeardown;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.cluster.WithRealisticKubernetes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The maintenance page's objects as spec.maintenancePage shapes them, against the realistic API server (defaulting
 * and canonical quantities) and the workload controllers: every option is accepted without a write loop, the Service
 * type changes in place, the PodDisruptionBudget follows the replicas and goes with the page, and the operator's pull
 * Secrets are copied, kept in step and removed.
 */
@QuarkusTest
@WithRealisticKubernetes
class PagePodOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final String OPERATOR_NAMESPACE = "slipway-system";

    @Inject
    PageAccess pageAccess;
    @Inject
    PageService pageService;
    @Inject
    PageDeployment pageDeployment;
    @Inject
    PageTeardown pageTeardown;
    @Inject
    SlipwayConfig config;
    @Inject
    Clock clock;

    private WorkloadControllers controllers;
    private GarbageCollector collector;
    private String namespace;

    @BeforeEach
    void startControllers() {
        namespace = "page-pod-" + NAMESPACES.incrementAndGet();
        namespace(namespace);
        controllers = new WorkloadControllers(client, clock).gracePeriod(Duration.ofMillis(300)).start();
        collector = new GarbageCollector(client).start();
    }

    @AfterEach
    void stopControllers() {
        collector.close();
        controllers.close();
    }

    @Test
    void everyOptionReachesThePageObjectsAndDefaultingCausesNoWrites() {
        ManagedUpgrade resource = create(page -> {
            page.setImage("mirror.example.com/slipway/slipway:0.1.0");
            page.setImagePullSecrets(List.of("mirror-credentials"));
            // Written as the API server would not store them: it answers 500m and 256Mi.
            page.setResources(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("0.5"))
                    .addToLimits("memory", new Quantity("0.25Gi")).build());
            page.setNodeSelector(Map.of("kubernetes.io/os", "linux"));
            page.setTolerations(List.of(new TolerationBuilder().withKey("dedicated").withValue("edge")
                    .withEffect("NoSchedule").build()));
            page.setPriorityClassName("maintenance-critical");
            page.setReplicas(3);
            page.setServiceType(MaintenancePageServiceType.NodePort);
        });

        bringUp(resource);

        String name = PageNames.name(resource);
        var pod = deployment(name).getSpec().getTemplate().getSpec();
        assertThat(deployment(name).getSpec().getReplicas()).isEqualTo(3);
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("mirror.example.com/slipway/slipway:0.1.0");
        assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName)
                .containsExactly("mirror-credentials");
        assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
        assertThat(pod.getPriorityClassName()).isEqualTo("maintenance-critical");
        assertThat(pod.getContainers().get(0).getResources().getLimits()).containsKey("memory");
        assertThat(service(name).getSpec().getType()).isEqualTo("NodePort");
        assertThat(budget(name).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget(name).getSpec().getSelector().getMatchLabels()).isEqualTo(PageNames.selector(resource));

        List<String> versions = versions(name);
        for (int pass = 0; pass < 5; pass++) {
            pageService.ensure(resource);
            assertThat(pageDeployment.ensureUp(resource)).isTrue();
        }
        assertThat(versions(name)).as("resourceVersions of the Deployment, Service and PodDisruptionBudget")
                .isEqualTo(versions);
    }

    @Test
    void changingTheServiceTypeEditsTheServiceInPlace() {
        ManagedUpgrade resource = create(page -> { });
        String name = PageNames.name(resource);
        pageService.ensure(resource);
        Service before = service(name);
        assertThat(before.getSpec().getType()).isEqualTo("ClusterIP");

        resource = editPage(resource, page -> page.setServiceType(MaintenancePageServiceType.NodePort));
        pageService.ensure(resource);

        Service after = service(name);
        assertThat(after.getSpec().getType()).isEqualTo("NodePort");
        assertThat(after.getMetadata().getUid()).as("the same Service, not a new one").isEqualTo(before.getMetadata().getUid());
        assertThat(after.getSpec().getClusterIP()).isEqualTo(before.getSpec().getClusterIP());

        resource = editPage(resource, page -> page.setServiceType(MaintenancePageServiceType.ClusterIP));
        pageService.ensure(resource);
        assertThat(service(name).getSpec().getType()).isEqualTo("ClusterIP");
    }

    @Test
    void theBudgetFollowsTheReplicasAndIsRemovedWithThePageObjects() {
        ManagedUpgrade resource = create(page -> { });
        String name = PageNames.name(resource);
        bringUp(resource);
        assertThat(deployment(name).getSpec().getReplicas()).as("the default").isEqualTo(2);
        assertThat(budget(name)).isNotNull();

        resource = editPage(resource, page -> page.setReplicas(1));
        bringUp(resource);
        assertThat(budget(name)).as("one replica: nothing to keep available during a drain").isNull();

        resource = editPage(resource, page -> page.setReplicas(2));
        bringUp(resource);
        assertThat(budget(name)).isNotNull();

        pageTeardown.remove(resource);

        assertThat(deployment(name)).isNull();
        assertThat(service(name)).isNull();
        assertThat(budget(name)).isNull();
    }

    @Test
    void theOperatorsPullSecretsAreCopiedKeptInStepAndRemovedWithThePage() {
        namespace(OPERATOR_NAMESPACE);
        client.resource(registrySecret("registry-credentials", "first")).createOr(
                io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        PagePullSecrets pullSecrets = new PagePullSecrets(client, copying("registry-credentials"),
                Optional.of(OPERATOR_NAMESPACE));
        PageDisruptionBudget budgets = new PageDisruptionBudget(client);
        PageDeployment deployments = new PageDeployment(client, config, budgets, pullSecrets);
        ManagedUpgrade resource = create(page -> page.setImagePullSecrets(List.of("shop-registry")));
        String copy = PageNames.name(resource) + "-registry-credentials";

        pageAccess.ensure(resource);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> deployments.ensureUp(resource));

        assertThat(secret(copy).getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        assertThat(secret(copy).getData()).isEqualTo(registrySecret("registry-credentials", "first").getData());
        assertThat(secret(copy).getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(resource.getMetadata().getUid()));
        assertThat(deployment(PageNames.name(resource)).getSpec().getTemplate().getSpec().getImagePullSecrets())
                .extracting(LocalObjectReference::getName).containsExactly("shop-registry", copy);

        client.resource(registrySecret("registry-credentials", "rotated")).createOr(
                io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
        deployments.ensureUp(resource);
        assertThat(secret(copy).getData()).isEqualTo(registrySecret("registry-credentials", "rotated").getData());

        new PageTeardown(client, budgets, pullSecrets).remove(resource);
        assertThat(secret(copy)).isNull();

        client.secrets().inNamespace(OPERATOR_NAMESPACE).withName("registry-credentials").delete();
        assertThatThrownBy(() -> deployments.ensureUp(resource)).isInstanceOf(IllegalStateException.class)
                .hasMessage("image pull Secret slipway-system/registry-credentials (chart value imagePullSecrets, "
                        + "copied for the maintenance page because page.copyImagePullSecrets is on) does not exist");
    }

    private ManagedUpgrade create(Consumer<MaintenancePageSpec> page) {
        ManagedUpgrade resource = managedUpgrade(namespace, "shop", "http://127.0.0.1:9/releases", "shop", "1.0.0");
        MaintenancePageSpec spec = new MaintenancePageSpec();
        page.accept(spec);
        resource.getSpec().setMaintenancePage(spec);
        return client.resource(resource).create();
    }

    private ManagedUpgrade editPage(ManagedUpgrade resource, Consumer<MaintenancePageSpec> change) {
        editSpec(namespace, resource.getMetadata().getName(), r -> change.accept(r.getSpec().getMaintenancePage()));
        return get(namespace, resource.getMetadata().getName());
    }

    private void bringUp(ManagedUpgrade resource) {
        pageAccess.ensure(resource);
        pageService.ensure(resource);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pageDeployment.ensureUp(resource));
    }

    private SlipwayConfig copying(String secretName) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("slipway.page.operator-pull-secrets", secretName),
                        "test", 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(SlipwayConfig.class).build().getConfigMapping(SlipwayConfig.class);
    }

    private static Secret registrySecret(String name, String password) {
        String config = "{\"auths\":{\"registry.example.com\":{\"auth\":\"" + Base64.getEncoder()
                .encodeToString(("slipway:" + password).getBytes(StandardCharsets.UTF_8)) + "\"}}}";
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(OPERATOR_NAMESPACE).endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .withData(Map.of(".dockerconfigjson", Base64.getEncoder().encodeToString(
                        config.getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    private List<String> versions(String name) {
        return Stream.<HasMetadata>of(deployment(name), service(name), budget(name))
                .map(object -> object.getMetadata().getResourceVersion()).toList();
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    private Service service(String name) {
        return client.services().inNamespace(namespace).withName(name).get();
    }

    private PodDisruptionBudget budget(String name) {
        return client.policy().v1().podDisruptionBudget().inNamespace(namespace).withName(name).get();
    }

    private Secret secret(String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }
}
