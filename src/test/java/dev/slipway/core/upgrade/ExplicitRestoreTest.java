package dev.slipway.core.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.upgrade.ExplicitRestore.LatestBackup;
import dev.slipway.core.upgrade.UpgradeSequence.FailureHandling;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExplicitRestoreTest {

    private static final String TIME = "2026-12-06T04:00:00.123456Z";
    private static final Optional<LatestBackup> LATEST = Optional.of(new LatestBackup("shop_slipway_1", TIME, false));

    @Test
    void theRestoreRunsBehindThePageFromPageUpToRecord() {
        List<UpgradeStep> steps = new ArrayList<>();
        for (Position p = ExplicitRestore.first(); p != null; p = ExplicitRestore.next(p)) {
            steps.add(p.step());
        }
        assertThat(steps).containsExactly(UpgradeStep.PageUp, UpgradeStep.SwapTraffic, UpgradeStep.Quiesce,
                UpgradeStep.Restore, UpgradeStep.RollImages, UpgradeStep.Resume, UpgradeStep.RestoreTraffic,
                UpgradeStep.Record);
        assertThat(ExplicitRestore.positions()).extracting(Position::step).isEqualTo(steps);
        assertThat(ExplicitRestore.next(new Position(UpgradeStep.RollBack, 0)).step()).isEqualTo(UpgradeStep.Record);
    }

    @Test
    void aFailureRollsBackUntilTheDatabasesAreSwappedAndHoldsBehindThePageAfter() {
        assertThat(ExplicitRestore.onFailure(UpgradeStep.Quiesce, false)).isEqualTo(FailureHandling.RollBack);
        assertThat(ExplicitRestore.onFailure(UpgradeStep.Restore, false)).isEqualTo(FailureHandling.HoldBehindPage);
        assertThat(ExplicitRestore.onFailure(UpgradeStep.Resume, true)).isEqualTo(FailureHandling.HoldBehindPage);
    }

    @Test
    void onlyAnExactEchoOfTheLatestBackupsWritesSinceIsAccepted() {
        assertThat(ExplicitRestore.refusal("shop_slipway_1", TIME, LATEST, null)).isEmpty();
        assertThat(ExplicitRestore.refusal("shop_slipway_1", "2026-12-06T04:00:00.123456000Z", LATEST, null))
                .as("the same instant, spelled with more digits").isEmpty();
        assertThat(reason("shop_slipway_1", "2026-12-06T04:00:00.123Z", LATEST, null)).isEqualTo("WritesSinceMismatch");
        assertThat(reason("shop_slipway_1", "yesterday", LATEST, null)).isEqualTo("WritesSinceMismatch");
        assertThat(reason("shop_slipway_0", TIME, LATEST, null)).isEqualTo("NotLatestBackup");
        assertThat(reason("", TIME, LATEST, null)).isEqualTo("BackupNotNamed");
        assertThat(reason("shop_slipway_1", null, LATEST, null)).isEqualTo("WritesSinceNotEchoed");
        assertThat(reason("shop_slipway_1", TIME, LATEST, "2.0.0")).isEqualTo("UpgradeInProgress");
        assertThat(reason("shop_slipway_1", TIME, Optional.empty(), null)).isEqualTo("NoBackup");
        assertThat(reason("shop_slipway_1", TIME, Optional.of(new LatestBackup("shop_slipway_1", TIME, true)), null))
                .isEqualTo("BackupAlreadyRestored");
        assertThat(reason("shop_slipway_1", TIME, Optional.of(new LatestBackup("shop_slipway_1", null, false)), null))
                .isEqualTo("WritesSinceUnknown");
        assertThat(ExplicitRestore.refusal("shop_slipway_0", TIME, LATEST, null).orElseThrow().message())
                .contains("spec.actions.restore.backup is shop_slipway_0", "latest verified backup is shop_slipway_1");
    }

    private static String reason(String backup, String writesSince, Optional<LatestBackup> latest, String upgrade) {
        return ExplicitRestore.refusal(backup, writesSince, latest, upgrade).orElseThrow().reason();
    }
}
