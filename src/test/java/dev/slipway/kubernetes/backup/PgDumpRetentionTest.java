package dev.slipway.kubernetes.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.spec.BackupMethod;
import dev.slipway.api.v1alpha1.status.BackupStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.core.upgrade.UpgradeResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dumps on a claim: which recorded ones spec.database.backup.keep lets go once a new one is taken, and whether the
 * claim holds the next one beside those it keeps.
 */
class PgDumpRetentionTest {

    private static final String CURRENT = "backups:/backup/shop_slipway_1_2_0_20261206120000.dump";

    @Test
    void keepsTheNewestRecordedDumpsCountingTheRunningUpgradesOwn() {
        List<HistoryEntry> history = List.of(
                upgrade(dump("backups", "shop_slipway_1_1_0_20261204120000", "2026-12-04T12:00:00Z")),
                upgrade(dump("backups", "shop_slipway_1_0_0_20261203120000", "2026-12-03T12:00:00Z")),
                upgrade(dump("backups", "shop_slipway_1_1_1_20261205120000", "2026-12-05T12:00:00Z")));

        assertThat(PgDumpJob.prunable(history, CURRENT, 1)).as("oldest first").containsExactly(
                "shop_slipway_1_0_0_20261203120000.dump", "shop_slipway_1_1_0_20261204120000.dump",
                "shop_slipway_1_1_1_20261205120000.dump");
        assertThat(PgDumpJob.prunable(history, CURRENT, 3)).containsExactly("shop_slipway_1_0_0_20261203120000.dump");
        assertThat(PgDumpJob.prunable(history, CURRENT, 4)).isEmpty();
    }

    @Test
    void onlyDumpsTakenOnTheSameClaimAndNeverTheRunningOne() {
        BackupStatus otherClaim = dump("old-backups", "shop_slipway_0_9_0_20261101120000", "2026-11-01T12:00:00Z");
        BackupStatus notTaken = BackupStatus.planned(BackupMethod.PgDump).namedJob("shop_slipway_1_0_0_20261202120000",
                "shop-backup-20261202120000", "backups:/backup/shop_slipway_1_0_0_20261202120000.dump");
        BackupStatus clone = BackupStatus.planned(BackupMethod.TemplateClone).named("shop_slipway_1_0_0_20261201120000")
                .taken(10L, "2026-12-01T12:00:00Z", null);
        List<HistoryEntry> history = new ArrayList<>(List.of(upgrade(otherClaim), upgrade(notTaken), upgrade(clone),
                upgrade(null)));
        history.add(upgrade(dump("backups", "shop_slipway_1_2_0_20261206120000", "2026-12-06T12:00:00Z")));

        assertThat(PgDumpJob.prunable(history, CURRENT, 1)).isEmpty();
        assertThat(PgDumpJob.prunable(null, CURRENT, 1)).isEmpty();
    }

    @Test
    void aClaimTooSmallForTheKeptDumpsAndOneMoreIsNamedWithTheNumbers() {
        List<HistoryEntry> history = List.of(
                upgrade(dump("backups", "shop_slipway_1_0_0_20261203120000", "2026-12-03T12:00:00Z")),
                upgrade(dump("backups", "shop_slipway_1_1_0_20261204120000", "2026-12-04T12:00:00Z")));

        assertThat(PgDumpJob.tooSmall("backups", 3000, history, 3)).as("2 kept + 1 new of 1000 bytes").isEmpty();
        assertThat(PgDumpJob.tooSmall("backups", 2999, history, 3)).hasValue("spec.database.backup.pgDump: "
                + "PersistentVolumeClaim backups holds 2.9 KiB (2999 bytes) but the 2 dumps kept on it (2.0 KiB "
                + "(2000 bytes), spec.database.backup.keep 3) and a new one about as large as the last (1000 bytes) "
                + "need 2.9 KiB (3000 bytes): enlarge the claim or lower keep; nothing was changed");
        assertThat(PgDumpJob.tooSmall("backups", 2000, history, 1)).as("keep 1: one kept + the new one").isEmpty();
        assertThat(PgDumpJob.tooSmall("other", 10, history, 3)).as("nothing recorded on that claim").isEmpty();
        assertThat(PgDumpJob.tooSmall("backups", 10, null, 3)).as("before a first dump nothing is known").isEmpty();
    }

    private static BackupStatus dump(String claim, String name, String takenAt) {
        return BackupStatus.planned(BackupMethod.PgDump).namedJob(name, "shop-backup-" + name.substring(name.length() - 14),
                claim + ":/backup/" + name + ".dump").taken(1000L, takenAt, "dumped 1000 bytes");
    }

    private static HistoryEntry upgrade(BackupStatus backup) {
        return new HistoryEntry("1.0.0", "1.1.0", List.of("1.1.0"), "2026-12-01T12:00:00Z", "2026-12-01T12:05:00Z",
                UpgradeResult.Succeeded, null, null, null, List.of(), backup, null);
    }
}
