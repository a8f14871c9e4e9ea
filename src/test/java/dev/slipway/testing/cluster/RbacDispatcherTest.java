package dev.slipway.testing.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.demo.SampleApplication;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The RBAC stand-in the operator tests run behind: requests map to verbs as kube-apiserver maps them, only the
 * operator's client is checked, refusals look like the apiserver's, and both install modes of the chart hold.
 */
class RbacDispatcherTest {

    private static final String USER = "system:serviceaccount:slipway-system:slipway";

    private RealisticApiServer server;
    private KubernetesClient fixtures;
    private KubernetesClient operatorClient;

    @BeforeEach
    void start() {
        server = RealisticApiServer.plainCrud();
        Config config = server.client().getConfiguration();
        operatorClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(config)
                .withUserAgent(OperatorIdentity.OPERATOR).build()).build();
        fixtures = OperatorIdentity.fixtureClient(operatorClient);
        for (String namespace : List.of("shop", "elsewhere")) {
            fixtures.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
        }
        fixtures.resource(SampleApplication.deployment("shop", "web", "web", "1.0.0", 2)).create();
    }

    @AfterEach
    void stop() {
        operatorClient.close();
        fixtures.close();
        server.close();
    }

    private RbacDispatcher enforce(RbacAuthorizer authorizer) {
        return RbacDispatcher.install(server.server(), authorizer, RbacRecorder.get());
    }

    /** Expected: verb, API group, resource, subresource, namespace, name ("-" for empty). */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "GET    | /api/v1/namespaces/shop/pods                                 | list - pods - shop -",
        "GET    | /api/v1/namespaces/shop/pods?watch=true&resourceVersion=1    | watch - pods - shop -",
        "GET    | /api/v1/namespaces/shop/pods?watch=false                     | list - pods - shop -",
        "GET    | /api/v1/pods                                                 | list - pods - - -",
        "GET    | /api/v1/watch/namespaces/shop/pods                           | watch - pods - shop -",
        "GET    | /api/v1/namespaces/shop/configmaps?fieldSelector=metadata.name%3Dpage&watch=1 | watch - configmaps - shop page",
        "GET    | /apis/apps/v1/namespaces/shop/deployments/web                | get apps deployments - shop web",
        "POST   | /apis/apps/v1/namespaces/shop/deployments                    | create apps deployments - shop -",
        "PUT    | /apis/apps/v1/namespaces/shop/deployments/web/scale          | update apps deployments scale shop web",
        "PATCH  | /apis/slipway.dev/v1alpha1/namespaces/shop/managedupgrades/u/status | patch slipway.dev managedupgrades status shop u",
        "PUT    | /apis/slipway.dev/v1alpha1/namespaces/shop/managedupgrades/u/finalizers | update slipway.dev managedupgrades finalizers shop u",
        "DELETE | /api/v1/namespaces/shop/pods/web-1                           | delete - pods - shop web-1",
        "DELETE | /api/v1/namespaces/shop/pods?labelSelector=app%3Dweb         | deletecollection - pods - shop -",
        "GET    | /api/v1/namespaces/shop                                      | get - namespaces - shop shop",
        "PUT    | /api/v1/namespaces/shop/finalize                             | update - namespaces finalize shop shop",
    })
    void requestsMapToTheVerbsKubeApiserverAuthorizes(String method, String path, String expected) {
        RbacRequest request = RbacRequest.of(method, path);

        assertThat(request.resourceRequest()).isTrue();
        assertThat(Stream.of(request.verb(), request.apiGroup(), request.resource(), request.subresource(),
                request.namespace(), request.name()).map(part -> part.isEmpty() ? "-" : part)
                .collect(Collectors.joining(" "))).isEqualTo(expected);
    }

    @Test
    void discoveryIsANonResourceRequestEveryAccountMayMake() {
        RbacRequest version = RbacRequest.of("GET", "/version");

        assertThat(version.resourceRequest()).isFalse();
        assertThat(RbacAuthorizer.allNamespaces().allows(version)).isTrue();
        assertThat(RbacAuthorizer.allNamespaces().allows(RbacRequest.of("GET", "/metrics"))).isFalse();
    }

    @Test
    void theOperatorIsRefusedWhatTheChartDoesNotGrantWithTheApiServersStatusWhileFixturesPass() {
        enforce(RbacAuthorizer.allNamespaces());

        assertThatThrownBy(() -> operatorClient.apps().statefulSets().inNamespace("shop").withName("db").delete())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                    assertThat(e.getStatus().getDetails().getGroup()).isEqualTo("apps");
                    assertThat(e.getStatus().getDetails().getKind()).isEqualTo("statefulsets");
                    assertThat(e.getStatus().getMessage()).isEqualTo("statefulsets.apps \"db\" is forbidden: User \""
                            + USER + "\" cannot delete resource \"statefulsets\" in API group \"apps\" in the "
                            + "namespace \"shop\"");
                });
        assertThatThrownBy(() -> operatorClient.namespaces().list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .isEqualTo("namespaces is forbidden: User \"" + USER + "\" cannot list resource \"namespaces\" "
                                + "in API group \"\" at the cluster scope"));

        Deployment web = operatorClient.apps().deployments().inNamespace("shop").withName("web").get();
        assertThat(web.getSpec().getReplicas()).isEqualTo(2);
        fixtures.apps().deployments().inNamespace("shop").withName("web").delete();
        assertThat(fixtures.apps().deployments().inNamespace("shop").list().getItems()).isEmpty();
    }

    @Test
    void withWatchNamespacesTheOperatorMayWorkOnlyInThoseNamespacesAndNothingClusterWide() {
        enforce(RbacAuthorizer.watching(List.of("shop")));

        assertThat(operatorClient.apps().deployments().inNamespace("shop").list().getItems()).hasSize(1);
        assertThatThrownBy(() -> operatorClient.apps().deployments().inNamespace("elsewhere").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .endsWith("cannot list resource \"deployments\" in API group \"apps\" in the namespace "
                                + "\"elsewhere\""));
        assertThatThrownBy(() -> operatorClient.apps().deployments().inAnyNamespace().list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .endsWith("at the cluster scope"));
    }

    @Test
    void aRoleTheOperatorCreatesMayHandOnOnlyPermissionsItHoldsItself() {
        enforce(RbacAuthorizer.allNamespaces());
        RoleBuilder role = new RoleBuilder().withNewMetadata().withName("page").withNamespace("shop").endMetadata();

        operatorClient.resource(role.addNewRule().withApiGroups("").withResources("configmaps")
                .withResourceNames("page").withVerbs("get", "watch").endRule().build()).create();
        assertThatThrownBy(() -> operatorClient.resource(new RoleBuilder(role.build()).editMetadata().withName("more")
                .endMetadata().addNewRule().withApiGroups("").withResources("pods/exec").withVerbs("create").endRule()
                .build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).contains("is attempting to grant RBAC permissions not "
                            + "currently held", "Resources:[\"pods/exec\"]");
                });
        assertThat(fixtures.rbac().roles().inNamespace("shop").list().getItems()).extracting(r -> r.getMetadata()
                .getName()).containsExactly("page");
    }
}
