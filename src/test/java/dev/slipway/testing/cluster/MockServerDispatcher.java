package dev.slipway.testing.cluster;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.lang.reflect.Field;

/**
 * The dispatcher a fabric8 mock server runs with, read and replaced in place: fabric8's servers take their dispatcher
 * only in the constructor, and Quarkus' {@code @WithKubernetesTestServer} builds its own, while MockWebServer reads
 * its dispatcher field on every request.
 */
final class MockServerDispatcher {

    private MockServerDispatcher() {
    }

    static Dispatcher current(KubernetesMockServer server) {
        try {
            return (Dispatcher) dispatcherField().get(web(server));
        } catch (ReflectiveOperationException e) {
            throw changed(e);
        }
    }

    static void replace(KubernetesMockServer server, Dispatcher dispatcher) {
        try {
            web(server).setDispatcher(dispatcher);
        } catch (ReflectiveOperationException e) {
            throw changed(e);
        }
    }

    private static MockWebServer web(KubernetesMockServer server) throws ReflectiveOperationException {
        Field serverField = DefaultMockServer.class.getDeclaredField("server");
        serverField.setAccessible(true);
        return (MockWebServer) serverField.get(server);
    }

    private static Field dispatcherField() throws NoSuchFieldException {
        Field dispatcherField = MockWebServer.class.getDeclaredField("dispatcher");
        dispatcherField.setAccessible(true);
        return dispatcherField;
    }

    private static IllegalStateException changed(ReflectiveOperationException e) {
        return new IllegalStateException("fabric8's mock server changed: cannot put a dispatcher in front of it", e);
    }
}
