package dev.slipway;

import dev.slipway.demo.DemoCluster;
import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Set;

/**
 * One artifact, several roles. Only the long-running roles open an HTTP port; every other subcommand is a
 * plain terminal tool, so it must neither bind 8080 nor contact Kubernetes.
 */
@QuarkusMain
public final class SlipwayMain {

    private static final Set<String> SERVER_ROLES = Set.of("operator", "demo", "maintenance-page");
    /** A role asked only for its help or version prints it and exits: no server, no demo cluster. */
    private static final Set<String> HELP_OPTIONS = Set.of("-h", "--help", "-V", "--version");
    private static final String DEMO_ROLE = "demo";
    /** The demo option that leaves everything up, the console included (DemoCommand). */
    private static final String DEMO_KEEP_RUNNING = "--keep-running";
    private static final String QUARKUS_HTTP_PORT = "quarkus.http.port";
    /**
     * Roles that serve the maintenance page on 8080 themselves, so their Quarkus HTTP (health, API) moves aside: to
     * 8081 in the page's pod (its probes use it), to any free port in the demo (nothing there needs a fixed one).
     */
    private static final java.util.Map<String, String> PAGE_ROLE_QUARKUS_HTTP_PORTS =
            java.util.Map.of("maintenance-page", "8081", DEMO_ROLE, "0");

    private SlipwayMain() {
    }

    public static void main(String... args) {
        if (!startsServers(args)) {
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.log.category.\"io.quarkus\".level", "WARN");
        }
        if (args.length > 0 && PAGE_ROLE_QUARKUS_HTTP_PORTS.containsKey(args[0])
                && System.getProperty(QUARKUS_HTTP_PORT) == null && System.getenv("QUARKUS_HTTP_PORT") == null) {
            System.setProperty(QUARKUS_HTTP_PORT, PAGE_ROLE_QUARKUS_HTTP_PORTS.get(args[0]));
        }
        if (startsServers(args) && DEMO_ROLE.equals(args[0])) {
            runDemo(args);
            return;
        }
        Quarkus.run(PicocliRunner.class, args);
    }

    static boolean startsServers(String... args) {
        return args.length > 0 && SERVER_ROLES.contains(args[0])
                && java.util.Arrays.stream(args).noneMatch(HELP_OPTIONS::contains);
    }

    /**
     * The demo's Kubernetes API must be up before Quarkus builds its KubernetesClient from configuration, and the
     * console switched on before Quarkus reads its configuration: only a demo that keeps running serves it.
     */
    private static void runDemo(String... args) {
        DemoCluster cluster;
        try {
            cluster = DemoCluster.start(java.util.Arrays.asList(args).contains(DEMO_KEEP_RUNNING));
        } catch (RuntimeException e) {
            System.err.println("error: cannot start the demo's in-process Kubernetes API: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (cluster) {
            Quarkus.run(PicocliRunner.class, args);
        }
    }
}
