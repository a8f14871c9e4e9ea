package dev.slipway.kubernetes.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.spec.BackupSpec;
import dev.slipway.api.v1alpha1.spec.DatabaseSpec;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.core.plan.HopReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatabaseBackupTest {

    private static final List<HopStatus> MIGRATING = List.of(new HopStatus("1.1.0", HopReason.Target, null),
            new HopStatus("1.2.0", HopReason.Target, "3"));
    private static final List<HopStatus> NOT_MIGRATING = List.of(new HopStatus("1.0.1", HopReason.Target, null));

    @Test
    void aBackupIsPlannedOnlyWithAMethodAndAHopThatMigrates() {
        assertThat(DatabaseBackup.planned(database(BackupMethod.TemplateClone), MIGRATING))
                .isEqualTo(BackupStatus.planned(BackupMethod.TemplateClone));
        assertThat(DatabaseBackup.planned(database(BackupMethod.TemplateClone), NOT_MIGRATING)).isNull();
        assertThat(DatabaseBackup.planned(database(BackupMethod.None), MIGRATING)).isNull();
        assertThat(DatabaseBackup.planned(database(null), MIGRATING)).isNull();
        assertThat(DatabaseBackup.planned(new DatabaseSpec(), MIGRATING)).isNull();
        assertThat(DatabaseBackup.planned(null, MIGRATING)).isNull();
    }

    @Test
    void sizesAreToldInBinaryUnitsWithTheExactCount() {
        assertThat(DatabaseBackup.sizeText(512)).isEqualTo("512 bytes");
        assertThat(DatabaseBackup.sizeText(7_969_283)).isEqualTo("7.6 MiB (7969283 bytes)");
        assertThat(DatabaseBackup.sizeText(3L << 30)).isEqualTo("3.0 GiB (3221225472 bytes)");
    }

    @Test
    void preflightRefusesADatabaseLargerThanTheConfiguredLimit() {
        assertThat(DatabaseBackup.tooLarge("shop", 5L << 30, 5L << 30)).isEmpty();
        assertThat(DatabaseBackup.tooLarge("shop", (5L << 30) + 1, 5L << 30)).hasValue(
                "spec.database.backup.maxSizeBytes is 5.0 GiB (5368709120 bytes) but database shop is 5.0 GiB "
                        + "(5368709121 bytes) (pg_database_size): raise the limit if the server has room for the copy; "
                        + "nothing was changed");
    }

    @Test
    void restoreOnFailureRestoresTemplateCloneAndPgDumpBackupsButNeverCloudNativePG() {
        BackupSpec asked = database(BackupMethod.PgDump).getBackup();
        asked.setRestoreOnFailure(true);
        BackupStatus pgDump = BackupStatus.planned(BackupMethod.PgDump).namedJob("shop_slipway_1_0_0_20261206190000",
                "shop-backup-20261206190000", "backups:/backup/shop_slipway_1_0_0_20261206190000.dump");
        assertThat(DatabaseBackup.restorable(asked, pgDump)).as("not taken yet").isFalse();
        assertThat(DatabaseBackup.restorable(asked, pgDump.taken(10L, "2026-12-06T19:00:01Z", "dumped"))).isTrue();
        assertThat(DatabaseBackup.restorable(asked, BackupStatus.planned(BackupMethod.TemplateClone)
                .named("shop_slipway_1_0_0_20261206190000").taken(10L, "2026-12-06T19:00:01Z", null))).isTrue();
        assertThat(DatabaseBackup.restorable(asked, BackupStatus.planned(BackupMethod.CloudNativePG)
                .namedCloudNativePGBackup("shop-db-slipway-20261206190000").taken(null, "2026-12-06T19:00:01Z", "ok")))
                .as("restored into a new Cluster, by hand").isFalse();
        assertThat(DatabaseBackup.restorable(asked, BackupStatus.planned(BackupMethod.PgDump).namedJob(null,
                "shop-backup-20261206190000", "backups:/backup/x.dump").taken(10L, "2026-12-06T19:00:01Z", "dumped")))
                .as("recorded before PgDump backups were named: no database to restore into").isFalse();
        asked.setRestoreOnFailure(false);
        assertThat(DatabaseBackup.restorable(asked, pgDump.taken(10L, "2026-12-06T19:00:01Z", "dumped"))).isFalse();
    }

    private static DatabaseSpec database(BackupMethod method) {
        DatabaseSpec database = new DatabaseSpec();
        BackupSpec backup = new BackupSpec();
        backup.setMethod(method);
        database.setBackup(backup);
        return database;
    }
}
