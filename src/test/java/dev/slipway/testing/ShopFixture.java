package dev.slipway.testing;

import dev.slipway.demo.LocalPostgres;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.spec.BackupSpec;
import dev.slipway.api.v1alpha1.spec.CloudNativePgBackupSpec;
import dev.slipway.api.v1alpha1.spec.PgDumpBackupSpec;
import dev.slipway.database.BackupNames;
import dev.slipway.demo.LocalReleaseApi;
import dev.slipway.demo.SampleApplication;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample shop installed at 1.0.0 in its own namespace: workloads, Ingress, a real PostgreSQL database migrated to
 * schema 1, and a real Release API on loopback serving the later releases.
 */
public final class ShopFixture implements AutoCloseable {

    /** The CloudNativePG Cluster {@link #cloudNativePg} backups name. */
    public static final String CLOUD_NATIVE_PG_CLUSTER = "shop-db";

    public final String namespace;
    public final SampleApplication application;
    public final LocalPostgres.Database database;
    public final LocalReleaseApi releaseApi;
    private final KubernetesClient client;

    public ShopFixture(KubernetesClient client, String namespace, SampleApplication application) throws Exception {
        this.client = client;
        this.namespace = namespace;
        this.application = application;
        this.database = PostgresServer.get().createDatabase("shop");
        application.installFirstRelease(client, namespace, database.connection());
        this.releaseApi = new LocalReleaseApi(application);
    }

    public ManagedUpgrade resource(String name) {
        return application.managedUpgrade(namespace, name, releaseApi.url());
    }

    /** {@link #resource} with {@code spec.database.backup.method: TemplateClone}. */
    public ManagedUpgrade resourceWithBackup(String name) {
        BackupSpec backup = new BackupSpec();
        backup.setMethod(BackupMethod.TemplateClone);
        return resourceWithBackup(name, backup);
    }

    /** {@link #resource} with {@code spec.database.backup} as given. */
    public ManagedUpgrade resourceWithBackup(String name, BackupSpec backup) {
        ManagedUpgrade resource = resource(name);
        resource.getSpec().getDatabase().setBackup(backup);
        return resource;
    }

    /** The PersistentVolumeClaim {@code name} requesting {@code storage}, as an admin creates one for the dumps. */
    public void createClaim(String name, String storage) {
        client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity(storage)).endResources().endSpec().build())
                .create();
    }

    /** {@code spec.database.backup} with method PgDump to the claim named, or to one of {@code storageSize} created. */
    public static BackupSpec pgDump(String claimName, String storageSize) {
        PgDumpBackupSpec pgDump = new PgDumpBackupSpec();
        pgDump.setClaimName(claimName);
        pgDump.setStorageSize(storageSize);
        BackupSpec backup = new BackupSpec();
        backup.setMethod(BackupMethod.PgDump);
        backup.setPgDump(pgDump);
        return backup;
    }

    /** {@code spec.database.backup} with method CloudNativePG of the Cluster {@link #CLOUD_NATIVE_PG_CLUSTER}. */
    public static BackupSpec cloudNativePg(CloudNativePgBackupSpec.Method method) {
        CloudNativePgBackupSpec cnpg = new CloudNativePgBackupSpec();
        cnpg.setCluster(CLOUD_NATIVE_PG_CLUSTER);
        cnpg.setMethod(method);
        BackupSpec backup = new BackupSpec();
        backup.setMethod(BackupMethod.CloudNativePG);
        backup.setCloudNativePG(cnpg);
        return backup;
    }

    /** Lets the database's owner (the role of the admin Secret) create databases, as TemplateClone backups need. */
    public void allowCreatedb() {
        SqlRows.execute(PostgresServer.get().adminConnection(), "ALTER ROLE " + database.user() + " CREATEDB");
    }

    /** The backup databases of this shop's database on the server, by name. */
    public List<String> backups() {
        String prefix = BackupNames.prefix(database.name());
        return SqlRows.rows(PostgresServer.get().adminConnection(), "SELECT datname FROM pg_database ORDER BY datname")
                .stream().filter(name -> BackupNames.isBackup(prefix, name)).toList();
    }

    public Ingress ingress() {
        return client.network().v1().ingresses().inNamespace(namespace).withName(SampleApplication.INGRESS).get();
    }

    public Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    public String image(String deployment) {
        return deployment(deployment).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    public int replicas(String deployment) {
        return deployment(deployment).getSpec().getReplicas();
    }

    /** Applied Flyway versions, in order, each once if the history is right. */
    public List<String> appliedMigrations() throws Exception {
        List<String> versions = new ArrayList<>();
        try (var connection = database.open(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    @Override
    public void close() {
        releaseApi.close();
    }
}
