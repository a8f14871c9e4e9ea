package dev.slipway.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.AllowedChange;
import dev.slipway.api.v1alpha1.spec.ApplicationSpec;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.spec.DatabaseSpec;
import dev.slipway.api.v1alpha1.spec.IngressRef;
import dev.slipway.api.v1alpha1.spec.MaintenancePageSpec;
import dev.slipway.api.v1alpha1.spec.ManagedUpgradeSpec;
import dev.slipway.api.v1alpha1.spec.PolicySpec;
import dev.slipway.api.v1alpha1.spec.ReleaseSourceSpec;
import dev.slipway.api.v1alpha1.spec.SecretRef;
import dev.slipway.api.v1alpha1.spec.WorkloadRef;
import dev.slipway.database.DbConnection;
import dev.slipway.database.FlywayMigrator;
import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.MigrationBundle;
import dev.slipway.releaseapi.ReleaseApiClient;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A small shop application with four releases, used by the demo and the tests: 1.0.0 is installed; 1.1.0 is a
 * required stop; 2.0.0 may only be installed over 1.2.0 or later. From 1.0.0, the way to 2.0.0 is
 * 1.1.0 → 1.2.0 → 2.0.0, each with a real Flyway migration of the shop's PostgreSQL schema.
 */
public final class SampleApplication {

    public static final String PRODUCT = "acme-shop";
    public static final String INGRESS = "shop";
    public static final String DB_SECRET = "shop-db";
    public static final String IMAGE_REPOSITORY = "registry.example.com/acme/";
    /** What the workloads run before the first install: no release's image. */
    public static final String PLACEHOLDER_IMAGE = IMAGE_REPOSITORY + "placeholder:latest";
    /** How many replicas each component runs once installed. */
    public static final Map<String, Integer> REPLICAS = Map.of("web", 2, "worker", 1);
    /** How many orders {@link #takeOrders} adds. */
    public static final int SAMPLE_ORDERS = 3;

    /** One release: its version, the migration it adds, and its place in the upgrade graph. */
    public record SampleRelease(String version, String schemaVersion, String migrationFile, String migrationSql,
            boolean requiredStop, String minUpgradeFrom) {
    }

    private static final String BROKEN = "\nALTER TABLE no_such_table ADD COLUMN broken int;";
    private final Map<String, SampleRelease> releases = new LinkedHashMap<>();
    private final Map<String, String> snapshots = new LinkedHashMap<>();
    private boolean backwardCompatible;

    public SampleApplication() {
        add(new SampleRelease("1.0.0", "1", "V1__create_orders.sql",
                "CREATE TABLE orders (id bigserial PRIMARY KEY, customer text NOT NULL, total_cents bigint NOT NULL);",
                false, null));
        add(new SampleRelease("1.1.0", "2", "V2__order_status.sql",
                "CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');\n"
                        + "ALTER TABLE orders ADD COLUMN status order_status NOT NULL DEFAULT 'new';",
                true, null));
        add(new SampleRelease("1.2.0", "3", "V3__customers.sql",
                "CREATE TABLE customers (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE);\n"
                        + "CREATE INDEX orders_customer_idx ON orders (customer);",
                false, null));
        add(new SampleRelease("2.0.0", "4", "V4__order_placed_at.sql",
                "ALTER TABLE orders ADD COLUMN placed_at timestamptz NOT NULL DEFAULT now();",
                false, "1.2.0"));
    }

    private void add(SampleRelease release) {
        releases.put(release.version(), release);
    }

    public List<SampleRelease> releases() {
        return List.copyOf(releases.values());
    }

    /** Replaces a release's migration with one that fails inside PostgreSQL (for failure rehearsals). */
    public SampleApplication breakMigration(String version) {
        return appendToMigration(version, BROKEN);
    }

    /**
     * Adds SQL to the end of a release's migration, for example work that makes it take a realistic time (the
     * benchmarks do).
     */
    public SampleApplication appendToMigration(String version, String sql) {
        SampleRelease release = releases.get(version);
        add(new SampleRelease(release.version(), release.schemaVersion(), release.migrationFile(),
                release.migrationSql() + sql, release.requiredStop(), release.minUpgradeFrom()));
        return this;
    }

    /** Undoes {@link #breakMigration}: the vendor publishes a fixed bundle (with a new sha256). */
    public SampleApplication repairMigration(String version) {
        SampleRelease release = releases.get(version);
        add(new SampleRelease(release.version(), release.schemaVersion(), release.migrationFile(),
                release.migrationSql().replace(BROKEN, ""), release.requiredStop(), release.minUpgradeFrom()));
        return this;
    }

    /**
     * Publishes every upgrade release with {@code migrations.compatibility.mode: backward} (its migrations only add,
     * so the release before it runs on its schema: the expand floor is that release), for zero-downtime hops.
     */
    public SampleApplication declareBackwardCompatible() {
        backwardCompatible = true;
        return this;
    }

    /** Publishes the expected schema of a release (a snapshot document), served at {@code schemas/<version>.json}. */
    public SampleApplication publishSnapshot(String version, String snapshotJson) {
        snapshots.put(version, snapshotJson);
        return this;
    }

    /** The published snapshot of a release, if any. */
    public java.util.Optional<String> snapshot(String version) {
        return java.util.Optional.ofNullable(snapshots.get(version));
    }

    public static String image(String component, String version) {
        return IMAGE_REPOSITORY + component + ":" + version;
    }

    /** The migration bundle of a release: every migration up to and including its own, at the zip's root. */
    public byte[] bundle(String version) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (SampleRelease release : releases.values()) {
                ZipEntry entry = new ZipEntry(release.migrationFile());
                entry.setTime(0);
                zip.putNextEntry(entry);
                zip.write(release.migrationSql().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                if (release.version().equals(version)) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The Release API document; bundles are referenced relative to the feed at {@code bundles/<version>.zip}. */
    public String feedJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("product", PRODUCT);
        root.put("generatedAt", "2026-11-20T10:00:00Z");
        ArrayNode list = root.putArray("releases");
        int month = 1;
        String previous = null;
        for (SampleRelease release : releases.values()) {
            ObjectNode node = list.addObject();
            node.put("version", release.version());
            node.putArray("channels").add("stable");
            node.put("publishedAt", String.format("2026-%02d-01T12:00:00Z", month++));
            ObjectNode images = node.putObject("images");
            images.put("web", image("web", release.version()));
            images.put("worker", image("worker", release.version()));
            ObjectNode migrations = node.putObject("migrations");
            migrations.put("bundleUrl", "bundles/" + release.version() + ".zip");
            migrations.put("sha256", ReleaseApiClient.sha256Hex(bundle(release.version())));
            migrations.put("schemaVersion", release.schemaVersion());
            if (backwardCompatible && previous != null) {
                migrations.putObject("compatibility").put("mode", "backward").putObject("expand")
                        .put("minAppVersion", previous);
            }
            previous = release.version();
            snapshot(release.version()).ifPresent(snapshot -> {
                ObjectNode ref = node.putObject("schemaSnapshot");
                ref.put("url", "schemas/" + release.version() + ".json");
                ref.put("sha256", ReleaseApiClient.sha256Hex(snapshot.getBytes(StandardCharsets.UTF_8)));
            });
            if (release.requiredStop()) {
                node.put("requiredStop", true);
            }
            if (release.minUpgradeFrom() != null) {
                node.put("minUpgradeFrom", release.minUpgradeFrom());
            }
        }
        return root.toString();
    }

    /**
     * Installs the application at 1.0.0, as a vendor's installer would: its database (empty, owned by
     * {@code database}'s user) migrated to schema 1, then the namespace and {@link #installedObjects}.
     */
    public void installFirstRelease(KubernetesClient client, String namespace, DbConnection database)
            throws IOException, FeedException {
        String first = releases().get(0).version();
        Path migrations = Files.createTempDirectory("slipway-" + PRODUCT + "-" + first + "-");
        try {
            MigrationBundle.extract(bundle(first), migrations);
            new FlywayMigrator(database, migrations).migrate(releases.get(first).schemaVersion(), migration -> {
            });
        } finally {
            try (Stream<Path> files = Files.walk(migrations)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        create(client, namespace, installedObjects(namespace, database.jdbcUrl(), database.username(),
                database.password()));
    }

    /**
     * Sets the application up as it stands before its first install: the namespace, the Ingress, the database Secret
     * and both Deployments at 0 replicas running {@link #PLACEHOLDER_IMAGE}; the database is left empty.
     */
    public void prepareFirstInstall(KubernetesClient client, String namespace, DbConnection database) {
        prepareFirstInstall(client, namespace, database, PLACEHOLDER_IMAGE);
    }

    /**
     * As {@link #prepareFirstInstall(KubernetesClient, String, DbConnection)}, the Deployments running {@code image};
     * null keeps 1.0.0's images (a release's images at 0 replicas: "not installed" must then be discovered).
     */
    public void prepareFirstInstall(KubernetesClient client, String namespace, DbConnection database, String image) {
        List<HasMetadata> objects = installedObjects(namespace, database.jdbcUrl(), database.username(),
                database.password());
        for (HasMetadata object : objects) {
            if (object instanceof Deployment deployment) {
                deployment.getSpec().setReplicas(0);
                if (image != null) {
                    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
                }
            }
        }
        create(client, namespace, objects);
    }

    private static void create(KubernetesClient client, String namespace, List<HasMetadata> objects) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(NonDeletingOperation::update);
        for (HasMetadata object : objects) {
            client.resource(object).create();
        }
    }

    /** Inserts {@link #SAMPLE_ORDERS} orders, as a shop running 1.0.0 takes them (schema 1's columns only). */
    public static void takeOrders(DbConnection database) {
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO orders (customer, total_cents) VALUES ('ada', 1200), ('bob', 300), "
                    + "('O''Brien', 0)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot add the sample orders: " + e.getMessage(), e);
        }
    }

    /** The application as installed at 1.0.0: two Deployments, the Ingress and the database Secret. */
    public List<HasMetadata> installedObjects(String namespace, String jdbcUrl, String user, String password) {
        return List.of(
                deployment(namespace, "web", "web", "1.0.0", REPLICAS.get("web")),
                deployment(namespace, "worker", "worker", "1.0.0", REPLICAS.get("worker")),
                new IngressBuilder().withNewMetadata().withName(INGRESS).withNamespace(namespace).endMetadata()
                        .withNewSpec().withIngressClassName("nginx")
                        .withNewDefaultBackend().withNewService().withName("web").withNewPort().withNumber(80).endPort()
                        .endService().endDefaultBackend()
                        .addNewRule().withHost("shop.example.com").withNewHttp()
                        .addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService()
                        .withName("web").withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
                        .addNewPath().withPath("/api").withPathType("Prefix").withNewBackend().withNewService()
                        .withName("web").withNewPort().withName("http").endPort().endService().endBackend().endPath()
                        .endHttp().endRule().endSpec().build(),
                new SecretBuilder().withNewMetadata().withName(DB_SECRET).withNamespace(namespace).endMetadata()
                        .withStringData(Map.of("url", jdbcUrl, "username", user, "password", password == null ? "" : password))
                        .build());
    }

    /** The Deployment {@code name} running {@code component} of the given release. */
    public static Deployment deployment(String namespace, String name, String component, String version,
            int replicas) {
        Map<String, String> labels = Map.of("app", name);
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .addNewContainer().withName(component).withImage(image(component, version)).endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    /** The ManagedUpgrade for the shop: automatic, majors allowed, no windows, the admin Secret for migrations. */
    public ManagedUpgrade managedUpgrade(String namespace, String name, String feedUrl) {
        ManagedUpgrade resource = new ManagedUpgrade();
        resource.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        ManagedUpgradeSpec spec = new ManagedUpgradeSpec();
        spec.setProduct(PRODUCT);
        ReleaseSourceSpec source = new ReleaseSourceSpec();
        source.setUrl(feedUrl);
        source.setPollInterval("30s");
        spec.setReleaseSource(source);
        PolicySpec policy = new PolicySpec();
        policy.setAllow(AllowedChange.Major);
        spec.setPolicy(policy);
        ApplicationSpec application = new ApplicationSpec();
        application.setComponents(List.of(component("web"), component("worker")));
        IngressRef ingress = new IngressRef();
        ingress.setName(INGRESS);
        application.setIngress(ingress);
        spec.setApplication(application);
        DatabaseSpec database = new DatabaseSpec();
        SecretRef secret = new SecretRef();
        secret.setName(DB_SECRET);
        database.setAdminSecretRef(secret);
        spec.setDatabase(database);
        // No ingress controller or load balancer here is slow to take the restored Ingress: the page may go at once.
        MaintenancePageSpec page = new MaintenancePageSpec();
        page.setDrainAfterRestore("0s");
        spec.setMaintenancePage(page);
        resource.setSpec(spec);
        return resource;
    }

    /** A component whose Deployment has the component's name. */
    public static ComponentSpec component(String name) {
        ComponentSpec component = new ComponentSpec();
        component.setName(name);
        WorkloadRef workload = new WorkloadRef();
        workload.setName(name);
        component.setWorkload(workload);
        return component;
    }
}
