package dev.slipway.testing.cluster;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * The Quarkus test resource behind {@link WithRealisticKubernetes}: a {@link RealisticApiServer#withAdmission()} in
 * place of {@code @WithKubernetesTestServer}'s server, configured the same way (the fabric8 system properties that
 * quarkus-test-kubernetes-client's AbstractKubernetesTestResource sets), its {@link AdmissionDispatcher} injected
 * into fields annotated {@link InjectAdmission} and the server itself into fields annotated {@link InjectApiServer}.
 */
public final class RealisticKubernetesTestResource implements QuarkusTestResourceLifecycleManager {

    private static final java.util.List<String> PROPERTIES = java.util.List.of("kubernetes.master",
            "kubernetes.trust.certificates", "quarkus.tls.trust-all", "kubernetes.auth.tryKubeConfig",
            "kubernetes.auth.tryServiceAccount", "kubernetes.namespace", "http2.disable");

    private RealisticApiServer server;

    @Override
    public Map<String, String> start() {
        server = RealisticApiServer.withAdmission();
        Map<String, String> properties = new HashMap<>();
        properties.put("kubernetes.master", server.client().getConfiguration().getMasterUrl());
        properties.put("kubernetes.trust.certificates", "true");
        properties.put("quarkus.tls.trust-all", "true");
        properties.put("kubernetes.auth.tryKubeConfig", "false");
        properties.put("kubernetes.auth.tryServiceAccount", "false");
        properties.put("kubernetes.namespace", "test");
        properties.put("http2.disable", "true");
        // the fabric8 client reads these as system properties (quarkus-test-kubernetes-client sets them the same way)
        properties.forEach(System::setProperty);
        return properties;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server.admission(),
                new TestInjector.AnnotatedAndMatchesType(InjectAdmission.class, AdmissionDispatcher.class));
        testInjector.injectIntoFields(server.server(),
                new TestInjector.AnnotatedAndMatchesType(InjectApiServer.class, KubernetesMockServer.class));
    }

    @Override
    public void stop() {
        PROPERTIES.forEach(System::clearProperty);
        if (server != null) {
            server.close();
        }
    }
}
