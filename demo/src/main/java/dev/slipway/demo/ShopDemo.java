package dev.slipway.demo;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.api.v1alpha1.spec.HealthCheckSpec;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.database.DbConnection;
import dev.slipway.demo.cluster.ApplicationSessions;
import dev.slipway.http.page.ConfigMapPageStatusSource;
import dev.slipway.http.page.MaintenancePageServer;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.kubernetes.page.PageNames;
import dev.slipway.releaseapi.FeedException;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's world on one machine: the sample shop installed at 1.0.0 on the in-process Kubernetes API with a
 * throwaway PostgreSQL, a simulated kubelet, the Release API on loopback and the maintenance page; then one
 * ManagedUpgrade, told as it runs, and what it did.
 */
public final class ShopDemo implements AutoCloseable {

    public static final String NAMESPACE = DemoCluster.NAMESPACE;
    public static final String RESOURCE_NAME = "shop";
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String APPLICATION_ROLE = "shop_app";

    /**
     * @param pagePort   port of the maintenance page (0: any free one)
     * @param readyDelay how long the simulated pods take to start or stop
     * @param timeout    how long the upgrade may take before the demo gives up
     * @param brokenMigration the release whose migration fails, to rehearse a failure; null for none
     * @param approval   Automatic: the upgrade starts at once; Manual: it waits, without a time limit, until someone
     *                   approves a version (the console, the CLI or kubectl), and the timeout counts from its start
     * @param scenario   the upgrade strategy the demo shows
     */
    public record Settings(int pagePort, Duration readyDelay, Duration timeout, String brokenMigration,
            Approval approval, DemoScenario scenario) {
    }

    /** Where to look while the demo runs. */
    public record Endpoints(String page, String releaseApi, String database) {
    }

    /** The upgrade failed, or did not finish in time; the message says which and why. */
    public static final class UpgradeNotCompleted extends Exception {
        private final transient UpgradeStanding standing;

        public UpgradeNotCompleted(String message) {
            this(message, null);
        }

        UpgradeNotCompleted(String message, UpgradeStanding standing) {
            super(message);
            this.standing = standing;
        }

        /** Where the shop stands when the upgrade ended without completing; empty when it ran out of time. */
        public Optional<UpgradeStanding> standing() {
            return Optional.ofNullable(standing);
        }
    }

    private final KubernetesClient client;
    private final Vertx vertx;
    private final Clock clock;
    private final Settings settings;
    private final SampleApplication application;
    private final List<AutoCloseable> running = new ArrayList<>();
    private DbConnection database;
    private String applicationRole;
    private LocalReleaseApi releaseApi;
    private String ingressBefore;
    private Map<String, Integer> replicasBefore;
    private ShopVisitor visitor;

    public ShopDemo(KubernetesClient client, Vertx vertx, Clock clock, Settings settings) {
        this.client = client;
        this.vertx = vertx;
        this.clock = clock;
        this.settings = settings;
        this.application = settings.brokenMigration() == null ? new SampleApplication()
                : new SampleApplication().breakMigration(settings.brokenMigration());
        if (settings.scenario() == DemoScenario.ZERO_DOWNTIME) {
            application.declareBackwardCompatible();
        }
    }

    /**
     * Installs the shop at 1.0.0 and starts everything around it except the operator.
     *
     * @throws IllegalStateException when PostgreSQL is not installed or the page's port is taken
     */
    public Endpoints start() throws IOException, FeedException {
        LocalPostgres postgres = LocalPostgres.launch();
        running.add(postgres);
        database = postgres.createDatabase(RESOURCE_NAME).connection();
        application.installFirstRelease(client, NAMESPACE, database);
        ingressBefore = ingressSpec();
        replicasBefore = replicas();
        // every running web and worker Pod holds a session as the application's role, so Quiesce has some to see end
        LocalPostgres.Role role = postgres.createRole(APPLICATION_ROLE);
        applicationRole = role.name();
        ApplicationSessions sessions = new ApplicationSessions(new DbConnection(database.jdbcUrl(), role.name(),
                role.password()), pod -> NAMESPACE.equals(pod.getMetadata().getNamespace())
                        && pod.getMetadata().getLabels() != null
                        && List.of("web", "worker").contains(pod.getMetadata().getLabels().get("app")));
        running.add(sessions);
        running.add(new SimulatedKubelet(client, settings.readyDelay(), clock).podHook(sessions).start());
        releaseApi = new LocalReleaseApi(application);
        running.add(releaseApi);
        visitor = new ShopVisitor(client, NAMESPACE, clock);
        running.add(visitor);
        ManagedUpgrade resource = application.managedUpgrade(NAMESPACE, RESOURCE_NAME, releaseApi.url());
        ConfigMapPageStatusSource pageStatus = new ConfigMapPageStatusSource(client, NAMESPACE,
                PageNames.name(resource)).start();
        running.add(pageStatus);
        MaintenancePageServer page = new MaintenancePageServer(vertx, pageStatus, clock);
        running.add(page);
        int port = page.start(settings.pagePort());
        return new Endpoints("http://localhost:" + port + "/", releaseApi.url(), database.redactedUrl());
    }

    /**
     * Creates the ManagedUpgrade, starts the operator and tells the upgrade on {@code out} until it ends.
     *
     * @throws UpgradeNotCompleted when it fails, rolls back or outlasts the timeout
     */
    public DemoSummary upgrade(Runnable startOperator, PrintWriter out) throws UpgradeNotCompleted {
        int migrationsBefore = appliedMigrations().size();
        UpgradeNarrator narrator = new UpgradeNarrator(out, clock,
                () -> appliedMigrations().stream().map(Migration::label).toList());
        SharedIndexInformer<Event> events = client.v1().events().inNamespace(NAMESPACE).inform(tellEach(narrator));
        running.add(events::close);
        ManagedUpgrade upgrade = application.managedUpgrade(NAMESPACE, RESOURCE_NAME, releaseApi.url());
        upgrade.getSpec().getDatabase().setApplicationRoles(List.of(applicationRole));
        upgrade.getSpec().getPolicy().setApproval(settings.approval());
        if (settings.scenario() == DemoScenario.ZERO_DOWNTIME) {
            // the rollout and a short soak are gated by what visitors get from the shop
            HealthCheckSpec check = new HealthCheckSpec();
            check.setUrl(visitor.healthUrl());
            check.setSoak("1s");
            upgrade.getSpec().getApplication().setHealthCheck(check);
        }
        visitor.start();
        client.resource(upgrade).create();
        startOperator.run();
        // an upgrade waiting for approval has all the time in the world; once started it has the timeout
        Instant deadline = settings.approval() == Approval.Manual ? null : clock.instant().plus(settings.timeout());
        while (true) {
            ManagedUpgrade resource = client.resources(ManagedUpgrade.class).inNamespace(NAMESPACE)
                    .withName(RESOURCE_NAME).get();
            narrator.status(resource);
            UpgradeProgress progress = resource.getStatus() == null ? null : resource.getStatus().getUpgrade();
            if (deadline == null && progress != null) {
                deadline = clock.instant().plus(settings.timeout());
            }
            if (progress != null && progress.getResult() != null) {
                throw new UpgradeNotCompleted("the upgrade from " + progress.getFrom() + " to " + progress.getTo()
                        + " ended " + progress.getResult() + " at step " + failedStep(progress) + " ("
                        + progress.getFailureReason() + "): " + progress.getFailureMessage(), standing(progress));
            }
            List<HistoryEntry> history = resource.getStatus() == null ? null : resource.getStatus().getHistory();
            if (history != null && !history.isEmpty()) {
                return summary(history.get(history.size() - 1), migrationsBefore);
            }
            if (deadline != null && clock.instant().isAfter(deadline)) {
                throw new UpgradeNotCompleted("the upgrade did not finish within " + settings.timeout().toSeconds()
                        + "s; it was at " + (progress == null ? "phase " + phaseOf(resource)
                        : "step " + progress.getStep()));
            }
            pause();
        }
    }

    private DemoSummary summary(HistoryEntry entry, int migrationsBefore) throws UpgradeNotCompleted {
        if (entry.result() != UpgradeResult.Succeeded) {
            throw new UpgradeNotCompleted("the upgrade from " + entry.from() + " to " + entry.to() + " ended "
                    + entry.result() + ": " + entry.message());
        }
        List<Migration> migrations = appliedMigrations();
        List<String> applied = migrations.subList(migrationsBefore, migrations.size()).stream().map(Migration::label)
                .toList();
        String schema = migrations.isEmpty() ? "none" : migrations.get(migrations.size() - 1).version();
        return new DemoSummary(entry.from(), entry.to(), entry.path(),
                Duration.between(Instant.parse(entry.startedAt()), Instant.parse(entry.finishedAt())),
                applied, schema, ingressBefore.equals(ingressSpec()), replicasBefore, replicas(), visitor.downtime());
    }

    private UpgradeStanding standing(UpgradeProgress progress) {
        List<Migration> migrations = appliedMigrations();
        String schema = migrations.get(migrations.size() - 1).version();
        String release = application.releases().stream().filter(r -> r.schemaVersion().equals(schema))
                .map(SampleApplication.SampleRelease::version).findFirst().orElse("schema " + schema);
        return new UpgradeStanding(progress.getResult() != UpgradeResult.RolledBack, progress.getFrom(),
                failedStep(progress), String.valueOf(progress.getFailureReason()), release, schema);
    }

    /** The failed step as status records show it: per-hop steps name their hop's version. */
    private static String failedStep(UpgradeProgress progress) {
        if (progress.getFailedStep() == null) {
            return null;
        }
        return progress.getFailedStep().perHop() && progress.getFailedHop() != null
                ? progress.getFailedStep() + " " + progress.getHops().get(progress.getFailedHop()).version()
                : progress.getFailedStep().name();
    }

    /** A migration in the database's history. */
    private record Migration(String version, String description) {
        String label() {
            return "V" + version + " " + description;
        }
    }

    /** The migrations in the shop's database history, oldest first. */
    private List<Migration> appliedMigrations() {
        List<Migration> migrations = new ArrayList<>();
        try (Connection connection = database.open(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, description FROM flyway_schema_history "
                     + "WHERE success AND version IS NOT NULL ORDER BY installed_rank")) {
            while (rows.next()) {
                migrations.add(new Migration(rows.getString(1), rows.getString(2)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the shop's migration history: " + e.getMessage(), e);
        }
        return migrations;
    }

    private String ingressSpec() {
        Ingress ingress = client.network().v1().ingresses().inNamespace(NAMESPACE).withName(SampleApplication.INGRESS)
                .get();
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        boolean swapped = annotations != null && annotations.containsKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
        return (swapped ? "swapped " : "") + client.getKubernetesSerialization().asJson(ingress.getSpec());
    }

    private Map<String, Integer> replicas() {
        Map<String, Integer> replicas = new LinkedHashMap<>();
        for (String component : List.of("web", "worker")) {
            replicas.put(component, client.apps().deployments().inNamespace(NAMESPACE).withName(component).get()
                    .getSpec().getReplicas());
        }
        return replicas;
    }

    private static String phaseOf(ManagedUpgrade resource) {
        return resource.getStatus() == null || resource.getStatus().getPhase() == null ? "none"
                : resource.getStatus().getPhase().name();
    }

    private static ResourceEventHandler<Event> tellEach(UpgradeNarrator narrator) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Event event) {
                narrator.event(event);
            }

            @Override
            public void onUpdate(Event previous, Event event) {
            }

            @Override
            public void onDelete(Event event, boolean finalStateUnknown) {
            }
        };
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the upgrade", e);
        }
    }

    /** Stops everything {@link #start()} and {@link #upgrade} started, newest first; the operator is the caller's. */
    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                // closing the rest matters more than how one part ended
            }
        }
        running.clear();
    }
}
