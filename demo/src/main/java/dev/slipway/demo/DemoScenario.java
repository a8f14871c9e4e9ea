package dev.slipway.demo;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.spec.BackupSpec;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.spec.HealthCheckSpec;
import dev.slipway.core.upgrade.FirstInstall;
import dev.slipway.database.DbConnection;
import dev.slipway.releaseapi.FeedException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the demo shows. Each scenario changes only the demo's setup: the releases it publishes, how the shop stands
 * before (installed at 1.0.0 with a few orders, or never installed) and the ManagedUpgrade's spec. How the upgrade
 * ended decides the summary ({@link DemoSummary}), not the scenario.
 */
public enum DemoScenario {
    /** Every hop behind the maintenance page (releases declare no compatibility). */
    PAGE("page"),

    /** Every release declares backward-compatible migrations: the shop keeps serving throughout. */
    ZERO_DOWNTIME("zero-downtime") {
        @Override
        SampleApplication application(String brokenMigration) {
            return super.application(brokenMigration).declareBackwardCompatible();
        }

        @Override
        public String pageHint() {
            return "(not used: every hop runs while the shop serves)";
        }

        @Override
        void configure(ManagedUpgrade upgrade, String healthUrl) {
            // the rollout and a short soak are gated by what visitors get from the shop
            healthChecked(upgrade, healthUrl).setSoak("1s");
        }
    },

    /** Never installed: an empty database and Deployments at 0 replicas; the newest release is installed. */
    FIRST_INSTALL("first-install") {
        @Override
        public String premise() {
            return "is not installed yet (an empty database, its Deployments at 0 replicas running a placeholder "
                    + "image); the operator installs it";
        }

        @Override
        public String pageHint() {
            return "(not used: nothing was served before, so nothing needs hiding)";
        }

        @Override
        void install(SampleApplication application, KubernetesClient client, String namespace, DbConnection database) {
            application.prepareFirstInstall(client, namespace, database);
        }

        @Override
        void configure(ManagedUpgrade upgrade, String healthUrl) {
            upgrade.getSpec().getApplication().setInstalledVersion(FirstInstall.NOT_INSTALLED);
            for (ComponentSpec component : upgrade.getSpec().getApplication().getComponents()) {
                component.setReplicas(SampleApplication.REPLICAS.get(component.getName()));
            }
            // the install is done when visitors get the shop
            healthChecked(upgrade, healthUrl);
        }

        @Override
        List<String> breakableMigrations(List<String> upgrades) {
            // a failure rehearsal ends rolled back to, or held over, the installed release: there is none here
            return List.of();
        }

        @Override
        String whyNotBreakable(String requested, List<String> upgrades) {
            return "--break-migration does not combine with --scenario first-install: it rehearses a failed upgrade "
                    + "of an installed shop, and here nothing is installed to fall back to";
        }
    },

    /**
     * Behind the maintenance page with a TemplateClone backup and restoreOnFailure; a migration after the first hop
     * (2.0.0's unless told otherwise) fails once earlier hops committed, so the backup is put back.
     */
    BACKUP_RESTORE("backup-restore") {
        @Override
        public String premise() {
            return "1.0.0 is installed, with " + SampleApplication.SAMPLE_ORDERS + " orders in its database; the "
                    + "operator backs the database up (TemplateClone, restoreOnFailure) and upgrades it";
        }

        @Override
        String ownBrokenMigration(List<String> upgrades) {
            return upgrades.get(upgrades.size() - 1);
        }

        @Override
        void configure(ManagedUpgrade upgrade, String healthUrl) {
            BackupSpec backup = new BackupSpec();
            backup.setMethod(BackupMethod.TemplateClone);
            backup.setRestoreOnFailure(true);
            upgrade.getSpec().getDatabase().setBackup(backup);
        }

        @Override
        List<String> breakableMigrations(List<String> upgrades) {
            return upgrades.subList(1, upgrades.size());
        }

        @Override
        String whyNotBreakable(String requested, List<String> upgrades) {
            return "--break-migration must be one of " + String.join(", ", breakableMigrations(upgrades))
                    + " with --scenario backup-restore, not " + requested + ": the backup is restored only when a "
                    + "migration fails after an earlier hop committed (a failure in the first hop rolls back without "
                    + "it)";
        }
    };

    private final String option;

    DemoScenario(String option) {
        this.option = option;
    }

    /** The name on the command line. */
    public String option() {
        return option;
    }

    /** How the shop stands before the operator starts and what it does, for the demo's opening line. */
    public String premise() {
        return "1.0.0 is installed; the operator upgrades it";
    }

    /** What the opening line says beside the maintenance page's URL. */
    public String pageHint() {
        return "<- open it now";
    }

    /**
     * The release whose migration fails in this scenario's run: {@code requested} ({@code --break-migration}), else
     * the scenario's own; null for none.
     *
     * @param upgrades the versions after the installed one, oldest first
     * @throws IllegalArgumentException when this scenario cannot rehearse the failure of {@code requested}, saying why
     */
    public String brokenMigration(String requested, List<String> upgrades) {
        if (requested == null) {
            return ownBrokenMigration(upgrades);
        }
        if (!breakableMigrations(upgrades).contains(requested)) {
            throw new IllegalArgumentException(whyNotBreakable(requested, upgrades));
        }
        return requested;
    }

    /** The release whose migration this scenario breaks without {@code --break-migration}; null for none. */
    String ownBrokenMigration(List<String> upgrades) {
        return null;
    }

    /** The sample application as this scenario publishes it, with the migration of {@code brokenMigration} broken. */
    SampleApplication application(String brokenMigration) {
        SampleApplication application = new SampleApplication();
        return brokenMigration == null ? application : application.breakMigration(brokenMigration);
    }

    /** Puts the shop where the scenario starts; {@code database} is empty and owned by its user. */
    void install(SampleApplication application, KubernetesClient client, String namespace, DbConnection database)
            throws IOException, FeedException {
        application.installFirstRelease(client, namespace, database);
        SampleApplication.takeOrders(database);
    }

    /** The scenario's part of the ManagedUpgrade's spec; {@code healthUrl} is where visitors get the shop. */
    void configure(ManagedUpgrade upgrade, String healthUrl) {
    }

    /** The releases whose migration {@code --break-migration} may break in this scenario. */
    List<String> breakableMigrations(List<String> upgrades) {
        return upgrades;
    }

    /** Why {@code requested} is not among {@link #breakableMigrations}, for the usage error. */
    String whyNotBreakable(String requested, List<String> upgrades) {
        return "--break-migration must be one of " + String.join(", ", breakableMigrations(upgrades)) + ", not "
                + requested;
    }

    private static HealthCheckSpec healthChecked(ManagedUpgrade upgrade, String healthUrl) {
        HealthCheckSpec check = new HealthCheckSpec();
        check.setUrl(healthUrl);
        upgrade.getSpec().getApplication().setHealthCheck(check);
        return check;
    }

    /**
     * The scenario named {@code option}.
     *
     * @throws IllegalArgumentException naming the valid choices
     */
    public static DemoScenario parse(String option) {
        return Arrays.stream(values()).filter(scenario -> scenario.option.equals(option)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("expected one of " + choices() + ", not '" + option
                        + "'"));
    }

    public static String choices() {
        return Arrays.stream(values()).map(DemoScenario::option).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return option;
    }
}
