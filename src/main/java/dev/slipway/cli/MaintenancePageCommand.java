package dev.slipway.cli;

import dev.slipway.http.page.ConfigMapPageStatusSource;
import dev.slipway.http.page.MaintenancePageServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Quarkus;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The role of the per-application maintenance page Deployment: serve the page until the pod is stopped. */
@Command(name = "maintenance-page", mixinStandardHelpOptions = true,
        description = "Serve the public maintenance page of one application, live from the status ConfigMap "
                + "the operator writes during an upgrade. Health endpoints stay on the Quarkus HTTP port (8081).")
public class MaintenancePageCommand implements Callable<Integer> {

    static final String NAMESPACE_ENV = "SLIPWAY_PAGE_NAMESPACE";
    static final String POD_NAMESPACE_ENV = "POD_NAMESPACE";
    static final String CONFIG_MAP_ENV = "SLIPWAY_PAGE_CONFIGMAP";
    static final int USAGE_ERROR = 2;

    @Option(names = "--port", defaultValue = "8080", description = "Port of the page (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--namespace", description = "Namespace of the status ConfigMap (default: $" + NAMESPACE_ENV
            + ", then $" + POD_NAMESPACE_ENV + ").")
    String namespace;

    @Option(names = "--configmap", description = "Name of the status ConfigMap (default: $" + CONFIG_MAP_ENV + ").")
    String configMap;

    @Spec
    CommandSpec spec;

    @Inject
    KubernetesClient kubernetes;

    @Inject
    Vertx vertx;

    private final Map<String, String> environment;

    public MaintenancePageCommand() {
        this(System.getenv());
    }

    MaintenancePageCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> namespaceName = firstGiven(namespace, environment.get(NAMESPACE_ENV),
                environment.get(POD_NAMESPACE_ENV));
        Optional<String> configMapName = firstGiven(configMap, environment.get(CONFIG_MAP_ENV));
        if (namespaceName.isEmpty()) {
            err.println("maintenance-page: no namespace: pass --namespace or set " + NAMESPACE_ENV + " or "
                    + POD_NAMESPACE_ENV);
            return USAGE_ERROR;
        }
        if (configMapName.isEmpty()) {
            err.println("maintenance-page: no ConfigMap: pass --configmap or set " + CONFIG_MAP_ENV);
            return USAGE_ERROR;
        }
        if (port < 0 || port > 65535) {
            err.println("maintenance-page: --port must be between 0 and 65535, not " + port);
            return USAGE_ERROR;
        }
        try (ConfigMapPageStatusSource source = new ConfigMapPageStatusSource(kubernetes, namespaceName.get(),
                configMapName.get()).start();
                MaintenancePageServer server = new MaintenancePageServer(vertx, source, Clock.systemUTC())) {
            int bound;
            try {
                bound = server.start(port);
            } catch (IllegalStateException cannotListen) {
                err.println("maintenance-page: " + cannotListen.getMessage()
                        + "; choose a free --port, or --port 0 for any free one");
                return USAGE_ERROR;
            }
            err.println("Serving the maintenance page on port " + bound + " from ConfigMap " + namespaceName.get()
                    + "/" + configMapName.get());
            err.flush();
            Quarkus.waitForExit();
            return 0;
        }
    }

    private static Optional<String> firstGiven(String... candidates) {
        return Stream.of(candidates).filter(value -> value != null && !value.isBlank()).map(String::strip)
                .findFirst();
    }
}
