package dev.slipway.kubernetes.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The names the PgDump Jobs and files are known by, which status checkpoints or derives. */
class PgDumpNamesTest {

    @Test
    void jobNamesKeepWithin63CharactersAndEndInTheirStamp() {
        assertThat(PostgresClientJob.name("shop", "backup", Instant.parse("2026-12-06T19:00:00Z")))
                .isEqualTo("shop-backup-20261206190000");
        String longName = "a".repeat(50) + "-b";
        assertThat(PostgresClientJob.name(longName, "restore", "20261206190000")).hasSizeLessThanOrEqualTo(63)
                .isEqualTo("a".repeat(40) + "-restore-20261206190000");
        assertThat(PostgresClientJob.name("a".repeat(39) + "-.x", "restore", "20261206190000"))
                .as("no trailing dash or dot before the suffix").isEqualTo("a".repeat(39) + "-restore-20261206190000");
    }

    @Test
    void theRestoreJobIsNamedAfterTheStampOfTheFailedDatabaseCheckpointedBeforeIt() {
        assertThat(PgDumpRestore.jobName("shop", "shop_slipway_failed_20261206193000"))
                .isEqualTo("shop-restore-20261206193000");
    }

    @Test
    void theDumpFileSplitsIntoItsClaimAndItsPathUnderTheMount() {
        String file = "shop-slipway-backups:/backup/shop_slipway_1_0_0_20261206190000.dump";
        assertThat(PgDumpJob.claimOf(file)).isEqualTo("shop-slipway-backups");
        assertThat(PgDumpJob.pathOnClaim(file)).isEqualTo("shop_slipway_1_0_0_20261206190000.dump");
    }
}
