package dev.slipway.demo;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.demo.cluster.DemoAccessReviews;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's Kubernetes API: the fabric8 CRUD server on loopback, with the ManagedUpgrade CRD applied. It must run
 * before Quarkus boots, because the application's KubernetesClient is built from configuration at startup; the
 * fabric8 system properties set here point that client at this server (and away from any kubeconfig), and
 * {@link #close()} puts them back. A kubeconfig file for it is written to a temporary directory, so {@code kubectl}
 * (or any client) can watch the demo; the mock server speaks plain HTTP and asks for no credentials. It answers
 * TokenReviews and SubjectAccessReviews for two tokens of its own ({@link DemoAccessReviews}); with the console on,
 * they are written beside the kubeconfig for signing in.
 */
public final class DemoCluster implements AutoCloseable {

    public static final String NAMESPACE = "shop";
    /** The committed CRD, packaged into the jar from {@code crds/}. */
    static final String CRD_RESOURCE = "/crds/managedupgrades.slipway.dev-v1.yml";

    private static volatile DemoCluster active;

    private static final String KUBECONFIG_NAME = "slipway-demo";

    /** The demo's sign-in tokens for the console, as files. */
    public record ConsoleTokens(Path admin, Path viewer) {
    }

    private final KubernetesMockServer server;
    private final SystemPropertyOverrides properties = new SystemPropertyOverrides();
    private Path kubeconfig;
    private ConsoleTokens consoleTokens;

    private DemoCluster(KubernetesMockServer server) {
        this.server = server;
    }

    /** {@link #start(boolean)} without the console. */
    public static DemoCluster start() {
        return start(false);
    }

    /**
     * Starts the server on a free loopback port, applies the CRD and points the application's client at it.
     *
     * @param console whether the application serves the admin console ({@code slipway.console.enabled}); then the
     *                admin's and the viewer's tokens are written (0600) beside the kubeconfig
     */
    public static DemoCluster start(boolean console) {
        DemoAccessReviews reviews = new DemoAccessReviews(NAMESPACE);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new DiscoveringCrudDispatcher(reviews), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        DemoCluster cluster = new DemoCluster(server);
        try (KubernetesClient client = server.createClient()) {
            applyCrd(client);
            cluster.kubeconfig = cluster.writeKubeconfig();
            if (console) {
                Path directory = cluster.kubeconfig.getParent();
                cluster.consoleTokens = new ConsoleTokens(
                        reviews.writeToken(DemoAccessReviews.ADMIN, directory.resolve("admin-token")),
                        reviews.writeToken(DemoAccessReviews.VIEWER, directory.resolve("viewer-token")));
            }
        } catch (RuntimeException e) {
            server.destroy();
            throw e;
        }
        cluster.configureApplication(console);
        active = cluster;
        return cluster;
    }

    public String url() {
        return server.url("/");
    }

    /** A kubeconfig file whose current context is this cluster (namespace shop); removed by {@link #close()}. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The files holding the console's demo tokens, when the cluster was started for the console. */
    public Optional<ConsoleTokens> consoleTokens() {
        return Optional.ofNullable(consoleTokens);
    }

    /** The cluster started in this JVM and not yet closed, if any. */
    public static Optional<DemoCluster> active() {
        return Optional.ofNullable(active);
    }

    /** Whether {@code apiServerUrl} (a client's master URL) is this cluster: the demo must never touch a real one. */
    public boolean serves(String apiServerUrl) {
        URI other = URI.create(apiServerUrl);
        return other.getPort() == server.getPort() && isLoopback(other.getHost());
    }

    private static boolean isLoopback(String host) {
        try {
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void applyCrd(KubernetesClient client) {
        try (InputStream crd = DemoCluster.class.getResourceAsStream(CRD_RESOURCE)) {
            if (crd == null) {
                throw new IllegalStateException("the ManagedUpgrade CRD " + CRD_RESOURCE + " is missing from the jar");
            }
            client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ManagedUpgrade CRD", e);
        }
    }

    private Path writeKubeconfig() {
        String server = url().replaceAll("/+$", "");
        String config = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: %1$s
                    cluster:
                      server: %2$s
                users:
                  - name: %1$s
                    user: {}
                contexts:
                  - name: %1$s
                    context:
                      cluster: %1$s
                      user: %1$s
                      namespace: %3$s
                current-context: %1$s
                """.formatted(KUBECONFIG_NAME, server, NAMESPACE);
        try {
            Path directory = Files.createTempDirectory(KUBECONFIG_NAME + "-");
            Path file = Files.writeString(directory.resolve("kubeconfig"), config);
            // close() removes them; these cover a demo ended by Ctrl-C, where the JVM exits without closing
            directory.toFile().deleteOnExit();
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's kubeconfig file", e);
        }
    }

    /**
     * The CRUD server plus the discovery documents kubectl reads before anything else ({@code /api}, {@code /apis}
     * and each group version's resources, short names included), which the CRUD server alone does not serve, and the
     * demo's answers to access reviews. Only the kinds the demo creates are listed.
     */
    private static final class DiscoveringCrudDispatcher extends KubernetesCrudDispatcher {

        private static final List<String> VERBS = List.of("create", "delete", "get", "list", "patch", "update",
                "watch");
        private static final Map<String, List<APIResource>> RESOURCES = Map.of(
                "v1", List.of(resource("Namespace", "namespaces", false, "ns"),
                        resource("ConfigMap", "configmaps", true, "cm"), resource("Secret", "secrets", true),
                        resource("Service", "services", true, "svc"),
                        resource("ServiceAccount", "serviceaccounts", true, "sa"),
                        resource("Event", "events", true, "ev")),
                "apps/v1", List.of(resource("Deployment", "deployments", true, "deploy"),
                        resource("StatefulSet", "statefulsets", true, "sts")),
                "networking.k8s.io/v1", List.of(resource("Ingress", "ingresses", true, "ing")),
                ManagedUpgrade.GROUP + "/" + ManagedUpgrade.VERSION, List.of(resource(
                        HasMetadata.getKind(ManagedUpgrade.class), HasMetadata.getPlural(ManagedUpgrade.class), true,
                        ManagedUpgrade.class.getAnnotation(ShortNames.class).value())));

        private final KubernetesSerialization json = new KubernetesSerialization();
        private final DemoAccessReviews reviews;

        DiscoveringCrudDispatcher(DemoAccessReviews reviews) {
            this.reviews = reviews;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            return reviews.answer(request).orElseGet(() -> super.dispatch(request));
        }

        @Override
        public MockResponse handleGet(String path) {
            String resourcePath = path.split("\\?", 2)[0].replaceAll("/+$", "");
            Object discovery;
            if (resourcePath.equals("/api")) {
                discovery = new APIVersionsBuilder().withVersions("v1").build();
            } else if (resourcePath.equals("/apis")) {
                discovery = new APIGroupListBuilder().withGroups(RESOURCES.keySet().stream()
                        .filter(groupVersion -> groupVersion.contains("/")).sorted().map(groupVersion -> {
                            GroupVersionForDiscovery version = new GroupVersionForDiscovery(groupVersion,
                                    groupVersion.substring(groupVersion.indexOf('/') + 1));
                            return new APIGroupBuilder().withName(groupVersion.substring(0, groupVersion.indexOf('/')))
                                    .withVersions(version).withPreferredVersion(version).build();
                        }).toList()).build();
            } else {
                String groupVersion = resourcePath.startsWith("/api/") ? resourcePath.substring("/api/".length())
                        : resourcePath.startsWith("/apis/") ? resourcePath.substring("/apis/".length()) : "";
                List<APIResource> resources = RESOURCES.get(groupVersion);
                if (resources == null) {
                    return super.handleGet(path);
                }
                discovery = new APIResourceListBuilder().withGroupVersion(groupVersion).withResources(resources)
                        .build();
            }
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                    .setBody(json.asJson(discovery));
        }

        private static APIResource resource(String kind, String plural, boolean namespaced, String... shortNames) {
            return new APIResourceBuilder().withKind(kind).withName(plural)
                    .withSingularName(kind.toLowerCase(Locale.ROOT)).withNamespaced(namespaced)
                    .withShortNames(shortNames).withVerbs(VERBS).build();
        }
    }

    /** Points the application's client here, and keeps the show's terminal quiet unless the user chose a log level. */
    private void configureApplication(boolean console) {
        if (console) {
            properties.set("slipway.console.enabled", "true");
        }
        properties.set("kubernetes.master", url());
        properties.set("kubernetes.namespace", NAMESPACE);
        properties.set("kubernetes.trust.certificates", "true");
        properties.set("kubernetes.auth.tryKubeConfig", "false");
        properties.set("kubernetes.auth.tryServiceAccount", "false");
        properties.set("kubernetes.http2.disable", "true");
        if (System.getProperty("quarkus.log.level") == null && System.getenv("QUARKUS_LOG_LEVEL") == null) {
            properties.set("quarkus.log.level", "WARN");
            // the CRD's v1alpha1 is the product's own choice, not news for someone watching the demo
            properties.set("quarkus.log.category.\"io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils\".level",
                    "ERROR");
        }
    }

    /** Stops the server, removes the kubeconfig file and restores the system properties as they were. */
    @Override
    public void close() {
        active = null;
        properties.close();
        server.destroy();
        try {
            Files.deleteIfExists(kubeconfig);
            if (consoleTokens != null) {
                Files.deleteIfExists(consoleTokens.admin());
                Files.deleteIfExists(consoleTokens.viewer());
            }
            Files.deleteIfExists(kubeconfig.getParent());
        } catch (IOException e) {
            // a leftover file in the temporary directory does no harm; the server it names is gone
        }
    }
}
