package dev.slipway.testing.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulated apiserver write path: defaulting, validation, one-shot denials and image rewriting. */
class AdmissionDispatcherTest {

    private static final String NS = "shop";

    private RealisticApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = RealisticApiServer.withAdmission();
        client = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** pkg/apis/apps/v1/defaults.go SetDefaults_Deployment and core/v1 SetDefaults_PodSpec / SetDefaults_Container. */
    @Test
    void aDeploymentComesBackDefaulted() {
        Deployment created = client.resource(deployment("web", "registry.example.com/acme/web:1.0")).create();

        var spec = created.getSpec();
        assertThat(spec.getReplicas()).isEqualTo(1);
        assertThat(spec.getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(spec.getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo(new IntOrString("25%"));
        assertThat(spec.getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString("25%"));
        assertThat(spec.getRevisionHistoryLimit()).isEqualTo(10);
        assertThat(spec.getProgressDeadlineSeconds()).isEqualTo(600);
        var pod = spec.getTemplate().getSpec();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30);
        assertThat(pod.getRestartPolicy()).isEqualTo("Always");
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(pod.getSchedulerName()).isEqualTo("default-scheduler");
        var container = pod.getContainers().get(0);
        assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(container.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(container.getPorts().get(0).getProtocol()).isEqualTo("TCP");
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getSpec())
                .as("stored defaulted, not only answered").isEqualTo(spec);
    }

    /** SetDefaults_Container: Always for :latest and for an image without a tag, IfNotPresent otherwise. */
    @Test
    void imagePullPolicyFollowsTheTagRule() {
        Deployment latest = client.resource(deployment("latest", "acme/web:latest")).create();
        Deployment untagged = client.resource(deployment("untagged", "registry:5000/acme/web")).create();
        Deployment pinned = client.resource(deployment("pinned", "acme/web@sha256:" + "a".repeat(64))).create();

        assertThat(latest.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
        assertThat(untagged.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
        assertThat(pinned.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy())
                .isEqualTo("IfNotPresent");
    }

    /** core/v1 SetDefaults_Service; a patch is defaulted too (the result, as stored, is what gets defaulted). */
    @Test
    void aServiceComesBackDefaultedAlsoAfterAPatch() {
        Service created = client.resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace(NS)
                .endMetadata().withNewSpec().addToSelector("app", "web").addNewPort().withPort(80).endPort().endSpec()
                .build()).create();

        assertThat(created.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(created.getSpec().getSessionAffinity()).isEqualTo("None");
        assertThat(created.getSpec().getPorts().get(0).getProtocol()).isEqualTo("TCP");
        assertThat(created.getSpec().getPorts().get(0).getTargetPort()).isEqualTo(new IntOrString(80));

        Service patched = client.services().inNamespace(NS).withName("web").patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"ports\":[{\"port\":8080}],\"sessionAffinity\":null}}");
        assertThat(patched.getSpec().getPorts().get(0).getTargetPort()).isEqualTo(new IntOrString(8080));
        assertThat(patched.getSpec().getPorts().get(0).getProtocol()).isEqualTo("TCP");
        assertThat(patched.getSpec().getSessionAffinity()).isEqualTo("None");
    }

    /** validation.go IsValidLabelValue: at most 63 characters, answered 422 Invalid on create and on edit. */
    @Test
    void aLabelValueOf64CharactersIsRefusedWith422() {
        Deployment tooLong = deployment("web", "acme/web:1");
        tooLong.getMetadata().setLabels(Map.of("slipway.dev/upgrade", "x".repeat(64)));

        assertThatThrownBy(() -> client.resource(tooLong).create()).isInstanceOfSatisfying(
                KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getMessage()).startsWith("Deployment.apps \"web\" is invalid: metadata.labels: "
                            + "Invalid value: \"" + "x".repeat(64) + "\": must be no more than 63 characters");
                    assertThat(e.getStatus().getDetails().getCauses()).singleElement()
                            .satisfies(cause -> assertThat(cause.getField()).isEqualTo("metadata.labels"));
                });
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get()).isNull();

        client.resource(deployment("web", "acme/web:1")).create();
        assertThatThrownBy(() -> client.apps().deployments().inNamespace(NS).withName("web").edit(d -> {
            d.getSpec().getTemplate().getMetadata().getLabels().put("page", "y".repeat(64));
            return d;
        })).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate()
                .getMetadata().getLabels()).doesNotContainKey("page");
    }

    /** Object names: DNS-1123 subdomain (dots allowed, 253), Services DNS-1035 labels (63, must start with a letter). */
    @Test
    void namesFollowTheRulesOfTheirKind() {
        String dotted = "upgrade.v1." + "a".repeat(200);
        client.resource(deployment(dotted, "acme/web:1")).create();
        assertThat(client.apps().deployments().inNamespace(NS).withName(dotted).get()).isNotNull();

        assertThatThrownBy(() -> client.resource(deployment("Web_1", "acme/web:1")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .contains("a lowercase RFC 1123 subdomain must consist of"));
        assertThatThrownBy(() -> client.resource(service("1-page")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).startsWith("Service \"1-page\" is invalid: metadata.name")
                            .contains("a DNS-1035 label must");
                });
        assertThatThrownBy(() -> client.resource(service("page." + "a".repeat(10))).create())
                .isInstanceOf(KubernetesClientException.class);
        assertThatThrownBy(() -> client.resource(service("p".repeat(64))).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .contains("must be no more than 63 characters"));
        client.resource(service("p".repeat(63))).create();
    }

    /** A webhook's denial refuses exactly one write, with the webhook's message and its code. */
    @Test
    void aOneShotWebhookDenialRefusesExactlyOneWrite() {
        client.resource(deployment("web", "acme/web:1")).create();
        server.admission().denyOnce(AdmissionDenial.webhook("Deployment", NS, "web", "policy.example.com",
                "replicas may not change during business hours"));

        assertThatThrownBy(() -> client.apps().deployments().inNamespace(NS).withName("web").scale(0))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).isEqualTo("admission webhook \"policy.example.com\" denied "
                            + "the request: replicas may not change during business hours");
                });
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas()).isEqualTo(1);
        assertThat(server.admission().pendingDenials()).isEmpty();

        client.apps().deployments().inNamespace(NS).withName("web").scale(0);
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas()).isZero();
    }

    /** The ResourceQuota plugin's 403 and a 422 for a field, each once, on create and on patch. */
    @Test
    void quotaAndInvalidDenialsAnswerLikeTheApiserver() {
        server.admission().denyOnce(AdmissionDenial.quotaExceeded("Deployment", NS, "page", "compute",
                "requested: pods=1, used: pods=10, limited: pods=10"));
        assertThatThrownBy(() -> client.resource(deployment("page", "acme/page:1")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                    assertThat(e.getStatus().getMessage()).isEqualTo("deployments.apps \"page\" is forbidden: exceeded "
                            + "quota: compute, requested: pods=1, used: pods=10, limited: pods=10");
                });
        client.resource(deployment("page", "acme/page:1")).create();

        server.admission().denyOnce(AdmissionDenial.invalid("Deployment", NS, "page", "spec.template.spec.containers[0].image",
                "image must come from the approved registry"));
        assertThatThrownBy(() -> client.apps().deployments().inNamespace(NS).withName("page").patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":3}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).contains("spec.template.spec.containers[0].image")
                            .contains("image must come from the approved registry");
                });
        assertThat(client.apps().deployments().inNamespace(NS).withName("page").get().getSpec().getReplicas()).isEqualTo(1);
    }

    /** A mutating webhook pins tags to digests in Pod templates of Deployments and StatefulSets, on every write. */
    @Test
    void imagesArePinnedToDigestsOnWrite() {
        server.admission().rewriteImages(ImageRewrite.pinDigests());
        Deployment created = client.resource(deployment("web", "registry.example.com/acme/web:1.0")).create();
        String pinned = "registry.example.com/acme/web:1.0@" + ImageRewrite.digestOf("registry.example.com/acme/web:1.0");
        assertThat(created.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(pinned)
                .matches(".*:1\\.0@sha256:[0-9a-f]{64}");

        Deployment edited = client.apps().deployments().inNamespace(NS).withName("web").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example.com/acme/web:1.1");
            return d;
        });
        assertThat(edited.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/acme/web:1.1@" + ImageRewrite.digestOf("registry.example.com/acme/web:1.1"));
    }

    @Test
    void imagesMoveToARegistryMirror() {
        server.admission().rewriteImages(ImageRewrite.mirror("mirror.internal:5000"));
        StatefulSet created = client.resource(new StatefulSetBuilder().withNewMetadata().withName("db").withNamespace(NS)
                .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "db").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "db").endMetadata().withNewSpec()
                .addNewContainer().withName("db").withImage("registry.example.com/acme/db:1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();

        assertThat(created.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("mirror.internal:5000/registry.example.com/acme/db:1");
        assertThat(created.getSpec().getUpdateStrategy().getRollingUpdate().getPartition()).isZero();
        assertThat(created.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
    }

    private static Deployment deployment(String name, String image) {
        Map<String, String> labels = Map.of("app", "web");
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(new java.util.HashMap<>(labels)).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(image).addNewPort().withContainerPort(8080)
                .endPort().endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static Service service(String name) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata().withNewSpec()
                .addNewPort().withPort(80).endPort().endSpec().build();
    }
}
