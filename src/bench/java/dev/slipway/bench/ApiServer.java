package dev.slipway.bench;

import dev.slipway.testing.Crds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * fabric8's CRUD Kubernetes API server on loopback, in the benchmark JVM, with the ManagedUpgrade CRD applied: what
 * the packaged operator is pointed at. It keeps objects in memory and has no network latency.
 */
final class ApiServer implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private ApiServer(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
    }

    static ApiServer start() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        ApiServer apiServer = new ApiServer(server);
        Crds.applyManagedUpgrade(apiServer.client);
        return apiServer;
    }

    /** A client of this server, for the benchmark's own reads and writes. */
    KubernetesClient client() {
        return client;
    }

    /** What the operator gets as {@code quarkus.kubernetes-client.api-server-url}. */
    String url() {
        return client.getMasterUrl().toString();
    }

    /** Requests served so far, by the operator, the benchmark and anyone else. */
    int requestCount() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
