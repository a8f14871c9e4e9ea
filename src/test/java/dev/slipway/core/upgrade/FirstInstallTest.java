package dev.slipway.core.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.upgrade.FirstInstall.DatabaseContents;
import dev.slipway.core.upgrade.FirstInstall.Verdict;
import dev.slipway.core.upgrade.UpgradeSequence.FailureHandling;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirstInstallTest {

    private static List<String> walk(int hops) {
        List<String> steps = new ArrayList<>();
        for (Position at = UpgradeSequence.first(); at != null; at = FirstInstall.next(at, hops)) {
            steps.add(at.step() + (at.step().perHop() ? "(" + at.hop() + ")" : ""));
        }
        return steps;
    }

    @Test
    void everyHopIsMigratedInOrderAndTheApplicationStartsOnlyAtTheTargetWithoutPageOrQuiesce() {
        assertThat(walk(1)).containsExactly("Preflight", "Migrate(0)", "RollImages(0)", "Resume", "Record");
        assertThat(walk(3)).containsExactly("Preflight", "Migrate(0)", "Migrate(1)", "Migrate(2)", "RollImages(2)",
                "Resume", "Record");
    }

    @Test
    void aRollBackIsRecordedAndStepsOfAnUpgradeAreNoPartOfAnInstall() {
        assertThat(FirstInstall.next(new Position(UpgradeStep.RollBack, 0), 2))
                .isEqualTo(new Position(UpgradeStep.Record, 0));
        assertThatThrownBy(() -> FirstInstall.next(new Position(UpgradeStep.PageUp, 0), 1))
                .hasMessageContaining("PageUp is not a step of a first install");
    }

    @Test
    void beforeACommitTheWorkloadsGoBackAfterItTheInstallWaitsForAnAdminWithoutAPage() {
        assertThat(FirstInstall.onFailure(UpgradeStep.Preflight, false)).isEqualTo(FailureHandling.RollBack);
        assertThat(FirstInstall.onFailure(UpgradeStep.Migrate, false)).isEqualTo(FailureHandling.RollBack);
        assertThat(FirstInstall.onFailure(UpgradeStep.Migrate, true)).isEqualTo(FailureHandling.RecordFailed);
        assertThat(FirstInstall.onFailure(UpgradeStep.Resume, true)).isEqualTo(FailureHandling.RecordFailed);
        assertThat(FirstInstall.onFailure(UpgradeStep.RollBack, false)).isEqualTo(FailureHandling.RecordFailed);
    }

    @Test
    void anEmptyDatabaseTakesTheInstall() {
        assertThat(FirstInstall.assess(true, DatabaseContents.empty()).verdict()).isEqualTo(Verdict.Install);
        assertThat(FirstInstall.assess(false, DatabaseContents.empty()).verdict()).isEqualTo(Verdict.Install);
        assertThat(FirstInstall.assess(true, new DatabaseContents(true, null, 0, List.of())).verdict())
                .as("an empty history table, left by a rolled-back run").isEqualTo(Verdict.Install);
    }

    @Test
    void objectsWithoutHistoryAreRefusedNamingTheFirstFewNeverBaselined() {
        var contents = new DatabaseContents(false, null, 7, List.of("public.a", "public.b", "public.c", "public.d",
                "public.e"));

        FirstInstall.Assessment refused = FirstInstall.assess(true, contents);

        assertThat(refused.verdict()).isEqualTo(Verdict.Refused);
        assertThat(refused.reason()).contains("not empty but has no Flyway history: 7 objects")
                .contains("(public.a, public.b, public.c, public.d, public.e, …)").contains("never baselines");
        assertThat(FirstInstall.assess(false, new DatabaseContents(false, null, 1, List.of("shop.orders"))).reason())
                .contains("1 object in the managed schemas (shop.orders)");
    }

    @Test
    void aHistoryMeansInstalledUnlessTheAdminStatedNone() {
        var history = new DatabaseContents(true, "3", 4, List.of("public.orders"));

        assertThat(FirstInstall.assess(false, history).verdict()).isEqualTo(Verdict.Installed);
        FirstInstall.Assessment contradicted = FirstInstall.assess(true, history);
        assertThat(contradicted.verdict()).isEqualTo(Verdict.Refused);
        assertThat(contradicted.reason()).contains("installedVersion is none").contains("schema version 3");
    }

    @Test
    void theDatabaseDecidesWhenNoReleaseRunsOrEveryComponentIsScaledToZero() {
        assertThat(FirstInstall.mayBeUninstalled(false, false, false)).isTrue();
        assertThat(FirstInstall.mayBeUninstalled(false, false, true)).as("a stated version").isFalse();
        assertThat(FirstInstall.mayBeUninstalled(true, true, false)).isTrue();
        assertThat(FirstInstall.mayBeUninstalled(true, false, false)).as("a release runs").isFalse();
    }

    @Test
    void replicasComeFromTheSpecElseTheWorkloadElseOne() {
        assertThat(FirstInstall.replicas(3, 2)).isEqualTo(3);
        assertThat(FirstInstall.replicas(null, 2)).isEqualTo(2);
        assertThat(FirstInstall.replicas(null, 0)).isEqualTo(1);
        assertThat(FirstInstall.isInstall(FirstInstall.NOT_INSTALLED)).isTrue();
        assertThat(FirstInstall.isInstall("1.0.0")).isFalse();
    }
}
