package dev.slipway.testing.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;

/**
 * Who is calling the test API server. In a cluster the operator authenticates with its ServiceAccount token; in the
 * tests the application's Kubernetes client (the one the operator and every bean of the application use) names itself
 * with the User-Agent {@value #OPERATOR}, set here on the Quarkus client's Config for every test application. Tests
 * create their fixtures (Deployments, Ingresses, Secrets, Pods as a kubelet would...) through {@link #fixtureClient},
 * a second client to the same server with its own User-Agent, so {@link RbacDispatcher} checks exactly the operator's
 * requests. A User-Agent rather than a bearer token because the same Config reaches a real cluster in the k3s test,
 * where an unknown token would be rejected; the CRUD server itself ignores both.
 */
@Singleton
public class OperatorIdentity implements KubernetesConfigCustomizer {

    public static final String OPERATOR = "slipway-operator-under-test";
    public static final String FIXTURES = "slipway-test-fixtures";

    @Override
    public void customize(Config config) {
        config.setUserAgent(OPERATOR);
    }

    static boolean isOperator(String userAgent) {
        return OPERATOR.equals(userAgent);
    }

    /** A client to the operator client's server and namespace, with the same serialization, that is not the operator. */
    public static KubernetesClient fixtureClient(KubernetesClient operatorClient) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(operatorClient.getConfiguration()).withUserAgent(FIXTURES).build())
                .withKubernetesSerialization(operatorClient.getKubernetesSerialization()).build();
    }
}
