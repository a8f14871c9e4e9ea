package dev.slipway.testing.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * A fabric8 CRUD Kubernetes API server on loopback for plain JUnit tests, either bare ({@link #plainCrud()}: what the
 * controller emulation must cope with) or behind the apiserver's write path ({@link #withAdmission()}: defaulting,
 * validation, denials, image rewriting, see {@link AdmissionDispatcher}). Expectations ({@code server().expect()})
 * still take precedence over the CRUD store, as in KubernetesMockServer's mixed mode.
 */
public final class RealisticApiServer implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final AdmissionDispatcher admission;

    private RealisticApiServer(boolean withAdmission) {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        Dispatcher crud = new KubernetesMixedDispatcher(expectations);
        this.admission = withAdmission ? new AdmissionDispatcher(crud) : null;
        this.server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                withAdmission ? admission : crud, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        this.client = server.createClient();
    }

    /** The CRUD server as fabric8 ships it. */
    public static RealisticApiServer plainCrud() {
        return new RealisticApiServer(false);
    }

    /** The CRUD server behind the emulated admission chain. */
    public static RealisticApiServer withAdmission() {
        return new RealisticApiServer(true);
    }

    public KubernetesClient client() {
        return client;
    }

    /** The admission chain (denials, image rewriting); only for {@link #withAdmission()}. */
    public AdmissionDispatcher admission() {
        if (admission == null) {
            throw new IllegalStateException("this server was started without admission (plainCrud)");
        }
        return admission;
    }

    public KubernetesMockServer server() {
        return server;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
