package dev.slipway.cli;

import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.core.KubeDuration;
import dev.slipway.demo.DemoCluster;
import dev.slipway.demo.DemoScenario;
import dev.slipway.demo.DemoSummary;
import dev.slipway.demo.SampleApplication.SampleRelease;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.ShopDemo;
import dev.slipway.releaseapi.FeedException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * README command 1: a whole managed upgrade on one machine, no cluster and no Docker. The in-process Kubernetes API
 * is started by {@link dev.slipway.SlipwayMain} before Quarkus boots, so the injected client and operator use it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a full managed upgrade of a sample shop on this machine: an in-process Kubernetes API, "
                + "a throwaway PostgreSQL, a local Release API and the maintenance page, with progress on the "
                + "terminal. Needs nothing else: PostgreSQL is the installed one, or else the one Slipway embeds.")
public class DemoCommand implements Callable<Integer> {

    static final Duration TIMEOUT = Duration.ofMinutes(2);
    /**
     * The upgrade failed (or rolled back without restoring its backup), timed out, or left the application otherwise
     * than its ending promises (see DemoSummary#problem).
     */
    static final int EXIT_UPGRADE_FAILED = 1;

    @Option(names = "--keep-running", description = "Serve the admin console too, wait for a version to be approved "
            + "there (sign in with the printed admin token file), then run the upgrade, and leave everything up "
            + "(console, page, Release API, Kubernetes API) until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--port", defaultValue = "8080", description = "Port of the maintenance page "
            + "(default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--ready-delay", paramLabel = "DURATION", defaultValue = "1s", description = "How long each "
            + "simulated pod takes to start or stop, as a Kubernetes duration (500ms, 3s, 1m): longer gives time to "
            + "watch the maintenance page step by step (default: ${DEFAULT-VALUE}; 0 for none).")
    String readyDelay;

    @Option(names = "--break-migration", paramLabel = "VERSION", description = "Rehearse a failure: the migration "
            + "of this release (1.1.0, 1.2.0 or 2.0.0) fails inside PostgreSQL. In the first hop the upgrade rolls "
            + "back; later, the shop stays behind the maintenance page. With --scenario backup-restore: 1.2.0 or "
            + "2.0.0 (its default is 2.0.0); not with --scenario first-install.")
    String brokenMigration;

    @Option(names = "--scenario", paramLabel = "SCENARIO", defaultValue = "page", converter = ScenarioConverter.class,
            description = "What to show: page (every hop behind the maintenance page); zero-downtime (every release "
                    + "declares backward-compatible migrations: the shop keeps serving, the summary's downtime is "
                    + "0 s); first-install (nothing installed: an empty database and Deployments at 0 replicas; "
                    + "2.0.0 is installed, no page); backup-restore (a TemplateClone backup with restoreOnFailure, "
                    + "2.0.0's migration broken: after 1.1.0 and 1.2.0 committed, Slipway restores the backup and "
                    + "rolls back; exit 0 when the orders, compared row by row, the schema, images, Ingress and "
                    + "replicas are as before) "
                    + "(default: ${DEFAULT-VALUE}).")
    DemoScenario scenario;

    @Spec
    CommandSpec spec;

    @Inject
    KubernetesClient kubernetes;

    @Inject
    Operator operator;

    @Inject
    dev.slipway.kubernetes.OperatorLifecycle lifecycle;

    @Inject
    Vertx vertx;

    @Inject
    Clock clock;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            return usageError(err, "--port must be between 0 and 65535, not " + port);
        }
        Duration delay;
        try {
            delay = KubeDuration.parse(readyDelay, "--ready-delay");
        } catch (InvalidSpecException e) {
            return usageError(err, e.getMessage());
        }
        List<String> upgrades = new SampleApplication().releases().stream().skip(1).map(SampleRelease::version)
                .toList();
        String broken;
        try {
            broken = scenario.brokenMigration(brokenMigration, upgrades);
        } catch (IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        }
        Optional<DemoCluster> cluster = DemoCluster.active();
        if (cluster.isEmpty() || !cluster.get().serves(kubernetes.getMasterUrl().toString())) {
            return usageError(err, "the demo runs only against its own in-process Kubernetes API, which starts with "
                    + "`java -jar quarkus-run.jar demo`; this client talks to " + kubernetes.getMasterUrl());
        }
        try (ShopDemo demo = new ShopDemo(kubernetes, vertx, clock, new ShopDemo.Settings(port, delay, TIMEOUT,
                broken, keepRunning ? Approval.Manual : Approval.Automatic, scenario))) {
            try {
                return run(demo, cluster.get(), broken, out, err);
            } finally {
                operator.stop();
            }
        }
    }

    private int run(ShopDemo demo, DemoCluster cluster, String broken, PrintWriter out, PrintWriter err) {
        ShopDemo.Endpoints endpoints;
        try {
            endpoints = demo.start();
        } catch (IOException | FeedException | RuntimeException e) {
            return usageError(err, "cannot set up the demo: " + CliOutput.describe(e));
        }
        out.println("Slipway demo: " + SampleApplication.PRODUCT + " " + scenario.premise() + (keepRunning
                ? " once you approve a version in the console." : " to the newest release it may."));
        if (broken != null) {
            out.println("Rehearsing a failure: the migration of " + broken + " is broken on purpose.");
        }
        out.println("  Maintenance page  " + endpoints.page() + "  " + scenario.pageHint());
        endpointLines(endpoints, cluster).forEach(out::println);
        if (keepRunning) {
            out.println("Waiting for an approval: open the console, sign in with the admin token file's content, "
                    + "choose a version (2.0.0 is the newest) and approve it.");
        }
        out.flush();
        int exitCode;
        try {
            DemoSummary summary = demo.upgrade(lifecycle::start, out);
            summary.lines().forEach(out::println);
            // a rehearsed failure that Slipway handled as designed (the backup restored) is a successful demo
            exitCode = CliOutput.EXIT_OK;
            Optional<String> problem = summary.problem();
            if (problem.isPresent()) {
                err.println("error: " + problem.get());
                exitCode = EXIT_UPGRADE_FAILED;
            }
        } catch (ShopDemo.UpgradeNotCompleted e) {
            err.println("error: " + e.getMessage());
            e.standing().ifPresent(standing -> standing.lines(cluster.kubeconfig(), keepRunning)
                    .forEach(out::println));
            exitCode = EXIT_UPGRADE_FAILED;
        }
        out.flush();
        err.flush();
        if (keepRunning) {
            out.println("Still running (--keep-running); press Ctrl-C to stop:");
            out.println("  Maintenance page  " + endpoints.page());
            endpointLines(endpoints, cluster).forEach(out::println);
            out.flush();
            Quarkus.waitForExit();
        }
        return exitCode;
    }

    /**
     * Everything the demo serves besides the page: the operator's own HTTP endpoints (with the console, its URL and
     * the token files to sign in with) and the demo's backends.
     */
    private static List<String> endpointLines(ShopDemo.Endpoints endpoints, DemoCluster cluster) {
        String operator = "http://localhost:" + quarkusHttpPort();
        List<String> lines = new ArrayList<>();
        cluster.consoleTokens().ifPresent(tokens -> lines.addAll(List.of(
                "  Console           " + operator + "/console/  <- sign in with a token file's content",
                "  Admin token       " + tokens.admin() + " (may choose, approve, start, pause, retry, abandon)",
                "  Viewer token      " + tokens.viewer() + " (may only look)")));
        lines.addAll(List.of(
                "  Status API        " + operator + "/api/v1/namespaces/" + ShopDemo.NAMESPACE + "/managedupgrades/"
                        + ShopDemo.RESOURCE_NAME,
                "  Metrics           " + operator + "/q/metrics",
                "  Health            " + operator + "/q/health",
                "  Kubernetes API    " + cluster.url() + " (in-process): kubectl --kubeconfig " + cluster.kubeconfig()
                        + " get mu -A",
                "  Release API       " + endpoints.releaseApi() + "v1/products/" + SampleApplication.PRODUCT
                        + "/releases",
                "  PostgreSQL        " + endpoints.database() + " (throwaway)"));
        return lines;
    }

    /**
     * The port of this process's Quarkus HTTP server (status API, metrics, health). SlipwayMain lets the demo's take
     * any free port; once bound, Quarkus publishes the actual one in the port property of the launch mode.
     */
    private static int quarkusHttpPort() {
        String property = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        String bound = System.getProperty(property);
        return bound != null ? Integer.parseInt(bound) : ConfigProvider.getConfig().getValue(property, Integer.class);
    }

    /** Reads {@code --scenario} by the scenario's option name (zero-downtime), saying the choices when it is none. */
    static final class ScenarioConverter implements ITypeConverter<DemoScenario> {
        @Override
        public DemoScenario convert(String value) {
            try {
                return DemoScenario.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    private static int usageError(PrintWriter err, String message) {
        return CliOutput.error(CliOutput.Format.text, null, err, "Usage", null, message);
    }
}
