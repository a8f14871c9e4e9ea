package dev.slipway.core.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.upgrade.UpgradeSequence.FailureHandling;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UpgradeSequenceTest {

    private static List<String> walk(int hops) {
        return walk(hops, false);
    }

    private static List<String> walk(int hops, boolean backup) {
        List<String> steps = new ArrayList<>();
        for (Position p = UpgradeSequence.first(); p != null; p = UpgradeSequence.next(p, hops, backup)) {
            boolean perHop = switch (p.step()) {
                case Migrate, RollImages, StartStop, QuiesceStop -> true;
                default -> false;
            };
            steps.add(perHop ? p.step() + "#" + p.hop() : p.step().name());
        }
        return steps;
    }

    @Test
    void oneHopGoesStraightFromImagesToResume() {
        assertThat(walk(1)).containsExactly("Preflight", "PageUp", "SwapTraffic", "Quiesce", "Migrate#0",
                "RollImages#0", "Resume", "RestoreTraffic", "Record");
    }

    @Test
    void everyIntermediateHopIsStartedAndStoppedAgainBeforeTheNext() {
        assertThat(walk(3)).containsExactly("Preflight", "PageUp", "SwapTraffic", "Quiesce",
                "Migrate#0", "RollImages#0", "StartStop#0", "QuiesceStop#0",
                "Migrate#1", "RollImages#1", "StartStop#1", "QuiesceStop#1",
                "Migrate#2", "RollImages#2", "Resume", "RestoreTraffic", "Record");
    }

    @Test
    void aPlannedBackupComesAfterQuiesceAndBeforeTheFirstMigrationOnly() {
        assertThat(walk(2, true)).containsExactly("Preflight", "PageUp", "SwapTraffic", "Quiesce", "Backup",
                "Migrate#0", "RollImages#0", "StartStop#0", "QuiesceStop#0",
                "Migrate#1", "RollImages#1", "Resume", "RestoreTraffic", "Record");
    }

    @Test
    void rollBackEndsInRecord() {
        assertThat(UpgradeSequence.next(new Position(UpgradeStep.RollBack, 0), 2, false))
                .isEqualTo(new Position(UpgradeStep.Record, 0));
    }

    @ParameterizedTest
    @EnumSource(value = UpgradeStep.class, names = {"Preflight", "PageUp", "SwapTraffic", "Quiesce", "Backup", "Migrate",
            "RollImages", "StartStop", "QuiesceStop", "Resume"})
    void beforeAnyCommitAFailureRollsBack(UpgradeStep step) {
        assertThat(UpgradeSequence.onFailure(step, false)).isEqualTo(FailureHandling.RollBack);
    }

    @ParameterizedTest
    @EnumSource(UpgradeStep.class)
    void afterACommitEveryFailureHoldsTheApplicationBehindThePage(UpgradeStep step) {
        assertThat(UpgradeSequence.onFailure(step, true)).isEqualTo(FailureHandling.HoldBehindPage);
    }

    @ParameterizedTest
    @EnumSource(UpgradeStep.class)
    void aRestorableBackupIsRestoredOnlyForAMigrationThatFailedAfterACommit(UpgradeStep step) {
        assertThat(UpgradeSequence.onFailure(step, true, true)).isEqualTo(step == UpgradeStep.Migrate
                ? FailureHandling.Restore : FailureHandling.HoldBehindPage);
        assertThat(UpgradeSequence.onFailure(step, true, false)).isEqualTo(FailureHandling.HoldBehindPage);
        assertThat(UpgradeSequence.onFailure(step, false, true)).isEqualTo(UpgradeSequence.onFailure(step, false));
    }

    @Test
    void aRestoreIsFollowedByTheRollBackAndNeverPausedIn() {
        assertThat(UpgradeSequence.next(new Position(UpgradeStep.Restore, 1), 3, true))
                .isEqualTo(new Position(UpgradeStep.RollBack, 1));
        assertThat(UpgradeSequence.isPausePoint(UpgradeStep.Restore)).isFalse();
    }

    @Test
    void failuresAfterTheNewVersionRunsAreHeldEvenWithoutACommit() {
        assertThat(UpgradeSequence.onFailure(UpgradeStep.Record, false)).isEqualTo(FailureHandling.HoldBehindPage);
        assertThat(UpgradeSequence.onFailure(UpgradeStep.RestoreTraffic, false)).isEqualTo(FailureHandling.HoldBehindPage);
    }

    @Test
    void aDatabaseAtTheSchemaOfAPlannedHopWasMigratedByAnEarlierRunOfThePlan() {
        List<String> hops = java.util.Arrays.asList("2", null, "3", "3", "4.0");
        java.util.function.BiPredicate<String, String> numericallyEqual =
                (a, b) -> new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b)) == 0;

        assertThat(UpgradeSequence.hopMigratedByAnEarlierRun("2", hops, numericallyEqual)).hasValue(0);
        assertThat(UpgradeSequence.hopMigratedByAnEarlierRun("3", hops, numericallyEqual)).hasValue(2);
        assertThat(UpgradeSequence.hopMigratedByAnEarlierRun("4", hops, numericallyEqual)).hasValue(4);
        assertThat(UpgradeSequence.hopMigratedByAnEarlierRun("3.5", hops, numericallyEqual)).isEmpty();
        assertThat(UpgradeSequence.hopMigratedByAnEarlierRun(null, hops, numericallyEqual)).isEmpty();
    }

    @Test
    void upgradesPauseOnlyBetweenStepsThatCanWait() {
        assertThat(UpgradeSequence.isPausePoint(UpgradeStep.Migrate)).isTrue();
        assertThat(UpgradeSequence.isPausePoint(UpgradeStep.RollBack)).isFalse();
        assertThat(UpgradeSequence.isPausePoint(UpgradeStep.Record)).isFalse();
    }

    @Test
    void progressWordsNameTheHopAndSchema() {
        assertThat(UpgradeSequence.describe(new Position(UpgradeStep.Migrate, 1), 3, "1.3.0", "14"))
                .isEqualTo("Migrating the database to 1.3.0 (schema 14) (hop 2 of 3)");
    }
}
