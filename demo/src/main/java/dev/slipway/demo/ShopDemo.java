package dev.slipway.demo;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
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
     * @param brokenMigration the release whose migration fails, to rehearse a failure, as
     *                   {@link DemoScenario#brokenMigration} resolved it; null for none
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
    private List<String> ordersBefore;
    private ManagedUpgrade resource;
    private ShopVisitor visitor;

    public ShopDemo(KubernetesClient client, Vertx vertx, Clock clock, Settings settings) {
        this.client = client;
        this.vertx = vertx;
        this.clock = clock;
        this.settings = settings;
        this.application = settings.scenario().application(settings.brokenMigration());
    }

    /**
     * Puts the shop where the scenario starts (installed at 1.0.0 with a few orders, or never installed) and starts
     * everything around it except the operator.
     *
     * @throws IllegalStateException when PostgreSQL is not installed or the page's port is taken
     */
    public Endpoints start() throws IOException, FeedException {
        LocalPostgres postgres = LocalPostgres.launch();
        running.add(postgres);
        LocalPostgres.Database shopDatabase = postgres.createDatabase(RESOURCE_NAME);
        database = shopDatabase.connection();
        settings.scenario().install(application, client, NAMESPACE, database);
        ingressBefore = ingressSpec();
        replicasBefore = replicas();
        ordersBefore = orders();
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
        resource = application.managedUpgrade(NAMESPACE, RESOURCE_NAME, releaseApi.url());
        resource.getSpec().getDatabase().setApplicationRoles(List.of(applicationRole));
        resource.getSpec().getPolicy().setApproval(settings.approval());
        settings.scenario().configure(resource, visitor.healthUrl());
        if (resource.getSpec().getDatabase().getBackup() != null) {
            // the admin Secret's role owns the database; a TemplateClone copy needs it to create databases too
            postgres.allowCreatedb(shopDatabase.user());
        }
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
     * @throws UpgradeNotCompleted when it fails, rolls back without restoring a backup, or outlasts the timeout
     */
    public DemoSummary upgrade(Runnable startOperator, PrintWriter out) throws UpgradeNotCompleted {
        int migrationsBefore = appliedMigrations().size();
        UpgradeNarrator narrator = new UpgradeNarrator(out, clock,
                () -> appliedMigrations().stream().map(Migration::label).toList());
        SharedIndexInformer<Event> events = client.v1().events().inNamespace(NAMESPACE).inform(tellEach(narrator));
        running.add(events::close);
        visitor.start();
        client.resource(resource).create();
        startOperator.run();
        // an upgrade waiting for approval has all the time in the world; once started it has the timeout
        Instant deadline = settings.approval() == Approval.Manual ? null : clock.instant().plus(settings.timeout());
        while (true) {
            ManagedUpgrade current = client.resources(ManagedUpgrade.class).inNamespace(NAMESPACE)
                    .withName(RESOURCE_NAME).get();
            narrator.status(current);
            UpgradeProgress progress = current.getStatus() == null ? null : current.getStatus().getUpgrade();
            if (deadline == null && progress != null) {
                deadline = clock.instant().plus(settings.timeout());
            }
            List<HistoryEntry> history = current.getStatus() == null ? null : current.getStatus().getHistory();
            HistoryEntry last = history == null || history.isEmpty() ? null : history.get(history.size() - 1);
            if (progress != null && progress.getResult() != null) {
                return summary(progress, last);
            }
            if (last != null) {
                return summary(last, migrationsBefore);
            }
            if (deadline != null && clock.instant().isAfter(deadline)) {
                throw new UpgradeNotCompleted("the upgrade did not finish within " + settings.timeout().toSeconds()
                        + "s; it was at " + (progress == null ? "phase " + phaseOf(current)
                        : "step " + progress.getStep()));
            }
            pause();
        }
    }

    /** An upgrade that ended with its checkpoint kept: rolled back or held; only a restore is a designed end here. */
    private DemoSummary summary(UpgradeProgress progress, HistoryEntry entry) throws UpgradeNotCompleted {
        BackupStatus backup = progress.getBackup();
        if (progress.getResult() == UpgradeResult.RolledBack && backup != null && backup.restoredAt() != null) {
            return restored(progress, entry, backup);
        }
        throw new UpgradeNotCompleted("the upgrade from " + progress.getFrom() + " to " + progress.getTo()
                + " ended " + progress.getResult() + " at step " + failedStep(progress) + " ("
                + progress.getFailureReason() + "): " + progress.getFailureMessage(), standing(progress));
    }

    /** An upgrade that ended with its checkpoint cleared: upgraded or installed. */
    private DemoSummary summary(HistoryEntry entry, int migrationsBefore) throws UpgradeNotCompleted {
        List<Migration> migrations = appliedMigrations();
        List<String> applied = migrations.subList(migrationsBefore, migrations.size()).stream().map(Migration::label)
                .toList();
        String schema = schemaOf(migrations);
        Duration took = Duration.between(Instant.parse(entry.startedAt()), Instant.parse(entry.finishedAt()));
        return switch (entry.result()) {
            case Succeeded -> new DemoSummary.Upgraded(entry.from(), entry.to(), entry.path(), took, applied, schema,
                    ingressBefore.equals(ingressSpec()), replicasBefore, replicas(), visitor.downtime());
            case Installed -> new DemoSummary.Installed(entry.to(), entry.path(), took, applied, schema,
                    ingressBefore.equals(ingressSpec()) && entry.steps().stream()
                            .noneMatch(step -> step.step() == UpgradeStep.PageUp),
                    declaredReplicas(), replicas(), imageTags(),
                    visitor.firstServed().map(served -> Duration.between(Instant.parse(entry.startedAt()), served)));
            default -> throw new UpgradeNotCompleted("the upgrade from " + entry.from() + " to " + entry.to()
                    + " ended " + entry.result() + ": " + entry.message());
        };
    }

    /** @param entry the upgrade's history entry, null when status shows the result before it */
    private DemoSummary restored(UpgradeProgress progress, HistoryEntry entry, BackupStatus backup) {
        List<String> path = progress.getHops().stream().map(HopStatus::version).toList();
        List<String> committed = path.subList(0, progress.getFailedHop() == null ? 0 : progress.getFailedHop());
        String schemaExpected = application.releases().stream().filter(r -> r.version().equals(progress.getFrom()))
                .map(SampleApplication.SampleRelease::schemaVersion).findFirst().orElse("?");
        return new DemoSummary.Restored(progress.getFrom(), progress.getTo(), failedStep(progress),
                String.valueOf(progress.getFailureReason()), path, committed,
                Duration.between(Instant.parse(progress.getStartedAt()), entry == null ? clock.instant()
                        : Instant.parse(entry.finishedAt())),
                backup.database(), backup.sizeBytes() == null ? 0 : backup.sizeBytes(), backup.failedDatabase(),
                new RowComparison(ordersBefore, orders()), schemaOf(appliedMigrations()), schemaExpected,
                imageTags(), ingressBefore.equals(ingressSpec()), replicasBefore, replicas(), visitor.downtime());
    }

    private UpgradeStanding standing(UpgradeProgress progress) {
        String schema = schemaOf(appliedMigrations());
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

    /**
     * The migrations in the shop's database history, oldest first; none before a first install. Each read opens and
     * closes its own session: a TemplateClone backup cannot copy a database anyone is connected to.
     */
    private List<Migration> appliedMigrations() {
        List<Migration> migrations = new ArrayList<>();
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            if (!tableExists(statement, "flyway_schema_history")) {
                return migrations;
            }
            try (ResultSet rows = statement.executeQuery("SELECT version, description FROM flyway_schema_history "
                    + "WHERE success AND version IS NOT NULL ORDER BY installed_rank")) {
                while (rows.next()) {
                    migrations.add(new Migration(rows.getString(1), rows.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the shop's migration history: " + e.getMessage(), e);
        }
        return migrations;
    }

    private static boolean tableExists(Statement statement, String table) throws SQLException {
        try (ResultSet exists = statement.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            exists.next();
            return exists.getBoolean(1);
        }
    }

    private static String schemaOf(List<Migration> migrations) {
        return migrations.isEmpty() ? "none" : migrations.get(migrations.size() - 1).version();
    }

    /** The shop's orders, one line of columns each in id order; none when there is no orders table yet. */
    private List<String> orders() {
        List<String> orders = new ArrayList<>();
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            if (!tableExists(statement, "orders")) {
                return orders;
            }
            try (ResultSet rows = statement.executeQuery("SELECT id, customer, total_cents FROM orders ORDER BY id")) {
                while (rows.next()) {
                    orders.add(rows.getLong(1) + "|" + rows.getString(2) + "|" + rows.getLong(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the shop's orders: " + e.getMessage(), e);
        }
        return orders;
    }

    private String ingressSpec() {
        Ingress ingress = client.network().v1().ingresses().inNamespace(NAMESPACE).withName(SampleApplication.INGRESS)
                .get();
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        boolean swapped = annotations != null && annotations.containsKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
        return (swapped ? "swapped " : "") + client.getKubernetesSerialization().asJson(ingress.getSpec());
    }

    /** Each component's image tag (its release, or the placeholder's tag before a first install). */
    private Map<String, String> imageTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String component : List.of("web", "worker")) {
            String image = client.apps().deployments().inNamespace(NAMESPACE).withName(component).get().getSpec()
                    .getTemplate().getSpec().getContainers().get(0).getImage();
            tags.put(component, image.substring(image.lastIndexOf(':') + 1));
        }
        return tags;
    }

    /** What the ManagedUpgrade declares each component starts with on a first install. */
    private Map<String, Integer> declaredReplicas() {
        Map<String, Integer> declared = new LinkedHashMap<>();
        resource.getSpec().getApplication().getComponents().forEach(c -> declared.put(c.getName(), c.getReplicas()));
        return declared;
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
