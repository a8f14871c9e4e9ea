package dev.slipway.core.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupTimePreflightTest {

    private static final Instant NOW = Instant.parse("2026-12-06T02:00:00Z");
    private static final long MIB = 1L << 20;

    @Test
    void theBackupTakesTheSizeOverTheRateRoundedUpToWholeSeconds() {
        assertThat(new BackupTimePreflight("shop", 100 * MIB, 50 * MIB, Optional.empty()).backup())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(new BackupTimePreflight("shop", 100 * MIB + 1, 50 * MIB, Optional.empty()).backup())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(new BackupTimePreflight("shop", 0, 50 * MIB, Optional.of(Duration.ofSeconds(40))).total())
                .isEqualTo(Duration.ofSeconds(40));
        assertThatThrownBy(() -> new BackupTimePreflight("shop", 1, 0, Optional.empty()))
                .hasMessageContaining("must be positive");
    }

    @Test
    void anEstimateEndingAfterTheWindowIsRefusedWithItsNumbers() {
        // 30 GiB at 50 MiB/s: 10m15s, plus 5m of migrations, in a window that ends in 15m
        BackupTimePreflight estimate = new BackupTimePreflight("shop", 30L << 30, 50 * MIB,
                Optional.of(Duration.ofMinutes(5)));
        Instant end = NOW.plus(Duration.ofMinutes(15));

        assertThat(estimate.overrun(NOW, Optional.of(end), "slipway.database.backup-throughput")).hasValue(
                "the backup of database shop (30.0 GiB (32212254720 bytes)) would take about 10m15s at 50.0 MiB"
                        + " (52428800 bytes) per second (slipway.database.backup-throughput) and the migrations about"
                        + " 5m (as long as they took before), 15m15s in all, but the maintenance window ends at"
                        + " 2026-12-06T02:15:00Z, in 15m; nothing was changed: set spec.actions.retry in a window that"
                        + " leaves enough time");
        assertThat(estimate.overrun(NOW, Optional.of(end.plusSeconds(15)), "x")).as("exactly fits").isEmpty();
        assertThat(estimate.overrun(NOW, Optional.empty(), "x")).as("no window binds the upgrade").isEmpty();
    }
}
