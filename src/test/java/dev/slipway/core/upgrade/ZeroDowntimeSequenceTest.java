package dev.slipway.core.upgrade;

import static dev.slipway.core.upgrade.HopMode.Page;
import static dev.slipway.core.upgrade.HopMode.Rolling;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.upgrade.UpgradeSequence.FailureHandling;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.semver4j.Semver;

/** The order of a path's steps when some hops run without downtime, and what their failures mean. */
class ZeroDowntimeSequenceTest {

    private static final Semver PREVIOUS = Semver.parse("1.0.0");

    private static List<String> walk(List<HopMode> modes, boolean backup) {
        List<String> steps = new ArrayList<>();
        for (Position p = UpgradeSequence.first(); p != null; p = UpgradeSequence.next(p, modes, backup)) {
            steps.add(p.step().perHop() ? p.step() + "#" + p.hop() : p.step().name());
        }
        return steps;
    }

    @Test
    void aRollingHopNeverBringsThePageUp() {
        assertThat(walk(List.of(Rolling), false)).containsExactly("Preflight", "Expand#0", "RollOut#0", "Soak#0",
                "Contract#0", "Record");
    }

    @Test
    void aMixedPathUsesThePageOnlyAroundItsPageHop() {
        assertThat(walk(List.of(Rolling, Page), false)).containsExactly("Preflight",
                "Expand#0", "RollOut#0", "Soak#0", "Contract#0",
                "PageUp", "SwapTraffic", "Quiesce", "Migrate#1", "RollImages#1", "Resume", "RestoreTraffic", "Record");
        assertThat(walk(List.of(Page, Rolling), false)).containsExactly("Preflight",
                "PageUp", "SwapTraffic", "Quiesce", "Migrate#0", "RollImages#0", "Resume", "RestoreTraffic",
                "Expand#1", "RollOut#1", "Soak#1", "Contract#1", "Record");
    }

    @Test
    void consecutivePageHopsShareOnePagePhaseAndTheBackupIsTakenOnce() {
        assertThat(walk(List.of(Page, Page, Rolling, Page), true)).containsExactly("Preflight",
                "PageUp", "SwapTraffic", "Quiesce", "Backup", "Migrate#0", "RollImages#0", "StartStop#0",
                "QuiesceStop#0", "Migrate#1", "RollImages#1", "Resume", "RestoreTraffic",
                "Expand#2", "RollOut#2", "Soak#2", "Contract#2",
                "PageUp", "SwapTraffic", "Quiesce", "Migrate#3", "RollImages#3", "Resume", "RestoreTraffic", "Record");
    }

    @Test
    void anAllPagePathIsTheSequenceOfBefore() {
        List<HopMode> modes = List.of(Page, Page, Page);
        for (Position p = UpgradeSequence.first(); p != null; p = UpgradeSequence.next(p, modes, true)) {
            assertThat(UpgradeSequence.next(p, modes, true)).isEqualTo(UpgradeSequence.next(p, 3, true));
        }
    }

    @Test
    void theAdminsPolicyOrTheReleaseMakesAHopAPageHop() {
        assertThat(HopMode.of(true, true)).isEqualTo(Rolling);
        assertThat(HopMode.of(true, false)).isEqualTo(Page);
        assertThat(HopMode.of(false, true)).isEqualTo(Page);
        assertThat(Page.downtime()).isTrue();
        assertThat(Rolling.downtime()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = UpgradeStep.class, names = {"Expand", "Contract"})
    void aFailedExpandOrContractLeavesTheServingVersionAndIsRecordedFailed(UpgradeStep failed) {
        assertThat(UpgradeSequence.onFailure(failed, false, ImageRollback.untouchedSchema(PREVIOUS), false))
                .isEqualTo(FailureHandling.RecordFailed);
        assertThat(UpgradeSequence.onFailure(failed, true, compatible("1.0.0"), false))
                .isEqualTo(FailureHandling.RecordFailed);
    }

    @ParameterizedTest
    @EnumSource(value = UpgradeStep.class, names = {"RollOut", "Soak", "Resume", "StartStop"})
    void aFailedRolloutOrHealthCheckOnACompatibleSchemaRollsTheImagesBack(UpgradeStep failed) {
        assertThat(UpgradeSequence.onFailure(failed, true, compatible("1.0.0"), false))
                .isEqualTo(FailureHandling.RollBack);
        assertThat(UpgradeSequence.onFailure(failed, true, compatible("0.9.0"), true))
                .isEqualTo(FailureHandling.RollBack);
    }

    @ParameterizedTest
    @EnumSource(value = UpgradeStep.class, names = {"RollOut", "Soak", "Resume", "StartStop"})
    void aFloorAboveThePreviousVersionHoldsInsteadOfRollingBack(UpgradeStep failed) {
        ImageRollback forbidden = compatible("1.1.0");

        assertThat(UpgradeSequence.onFailure(failed, true, forbidden, false)).isEqualTo(FailureHandling.RecordFailed);
        assertThat(UpgradeSequence.onFailure(failed, true, forbidden, true)).isEqualTo(FailureHandling.HoldBehindPage);
        assertThat(forbidden.refusal()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("rollback refused").contains("1.1.0").contains("1.0.0 may not start"));
    }

    @Test
    void anIncompatibleSchemaChangeHoldsBehindThePageAsBefore() {
        ImageRollback incompatible = ImageRollback.incompatibleSchema(PREVIOUS);

        assertThat(UpgradeSequence.onFailure(UpgradeStep.Resume, true, incompatible, true))
                .isEqualTo(FailureHandling.HoldBehindPage);
        assertThat(UpgradeSequence.onFailure(UpgradeStep.Migrate, true, incompatible, true))
                .isEqualTo(FailureHandling.HoldBehindPage);
        assertThat(incompatible.refusal()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("not backward compatible"));
    }

    @Test
    void nothingCommittedRollsBackAsBefore() {
        ImageRollback untouched = ImageRollback.untouchedSchema(PREVIOUS);
        for (UpgradeStep step : List.of(UpgradeStep.Preflight, UpgradeStep.Quiesce, UpgradeStep.RollOut)) {
            assertThat(UpgradeSequence.onFailure(step, false, untouched, true))
                    .isEqualTo(UpgradeSequence.onFailure(step, false));
        }
    }

    @Test
    void aVersionBelowTheRecordedFloorMayNotStart() {
        assertThat(ImageRollback.startRefusal(Semver.parse("1.1.0"), Semver.parse("1.0.9"))).isPresent();
        assertThat(ImageRollback.startRefusal(Semver.parse("1.1.0"), Semver.parse("1.1.0"))).isEmpty();
        assertThat(ImageRollback.startRefusal(Semver.parse("1.1.0"), Semver.parse("2.0.0"))).isEmpty();
        assertThat(ImageRollback.startRefusal(null, Semver.parse("0.1.0"))).isEmpty();
        assertThat(ImageRollback.startRefusal(Semver.parse("1.1.0"), null)).hasValueSatisfying(reason ->
                assertThat(reason).contains("unknown"));
    }

    private static ImageRollback compatible(String floor) {
        return new ImageRollback(true, Semver.parse(floor), PREVIOUS);
    }
}
