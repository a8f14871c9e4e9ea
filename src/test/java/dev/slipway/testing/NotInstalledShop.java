package dev.slipway.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.HealthCheckSpec;
import dev.slipway.demo.LocalPostgres;
import dev.slipway.demo.SampleApplication;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;

/**
 * The sample shop before its first install, in its own namespace: its objects with both Deployments at 0 replicas
 * (running {@code image}, or 1.0.0's images when null; {@link SampleApplication#prepareFirstInstall}), an empty
 * database, and a feed of the sample releases with
 * their bundles and a health check URL on {@code feeds}. {@link #resource()} is its ManagedUpgrade (automatic approval).
 */
public final class NotInstalledShop {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final String namespace;
    public final LocalPostgres.Database database;
    private final KubernetesClient client;
    private final ManagedUpgrade resource;

    public NotInstalledShop(KubernetesClient client, FeedServer feeds, SampleApplication application, String namespace,
            String image) throws Exception {
        this.client = client;
        this.namespace = namespace;
        this.database = PostgresServer.get().createDatabase("shop");
        application.prepareFirstInstall(client, namespace, database.connection(), image);
        ObjectNode feed = (ObjectNode) JSON.readTree(application.feedJson());
        for (var release : feed.withArray("releases")) {
            String version = release.get("version").asText();
            feeds.serveFile("/" + namespace + "/bundles/" + version + ".zip", application.bundle(version));
        }
        feeds.serveFeed(namespace, SampleApplication.PRODUCT, feed.toString(), "\"" + namespace + "\"");
        feeds.serveFile("/" + namespace + "/health", "ok".getBytes(StandardCharsets.UTF_8));
        resource = application.managedUpgrade(namespace, "shop", feeds.baseUrl(namespace));
        HealthCheckSpec check = new HealthCheckSpec();
        check.setUrl(feeds.baseUrl(namespace) + "/health");
        resource.getSpec().getApplication().setHealthCheck(check);
    }

    /** The shop's ManagedUpgrade, not created yet: each call a fresh copy to adjust. */
    public ManagedUpgrade resource() {
        return client.getKubernetesSerialization().clone(resource);
    }

    public Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    public String image(String name) {
        return deployment(name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }
}
