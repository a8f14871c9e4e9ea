package dev.slipway.core.plan;

import static dev.slipway.core.plan.Releases.feed;
import static dev.slipway.core.plan.Releases.release;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.window.UpgradeScope;
import dev.slipway.releaseapi.Release;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.semver4j.Semver;

class InstallPlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final UpgradePolicy PATCH_ONLY = new UpgradePolicy("stable", UpgradeScope.PATCH, null, Duration.ZERO);

    private static PlanOutcome.Planned planned(List<Release> releases, UpgradePolicy policy) {
        PlanOutcome outcome = InstallPlanner.plan(releases, policy, NOW);
        assertThat(outcome).isInstanceOf(PlanOutcome.Planned.class);
        return (PlanOutcome.Planned) outcome;
    }

    private static List<String> hops(PlanOutcome.Planned plan) {
        return plan.steps().stream().map(h -> h.version() + ":" + h.reason()).toList();
    }

    @Test
    void theNewestUsableReleaseIsInstalledWhateverAllowSaysSinceNothingRunsToCompareWith() {
        var plan = planned(feed(release("1.0.0"), release("1.1.0"), release("2.0.0"), release("2.1.0").channels("fast")),
                PATCH_ONLY);

        assertThat(plan.current()).as("nothing installed").isNull();
        assertThat(plan.target()).hasToString("2.0.0");
        assertThat(hops(plan)).containsExactly("2.0.0:Target");
        assertThat(plan.availableUpdates()).extracting(Semver::toString).containsExactly("1.0.0", "1.1.0", "2.0.0");
    }

    @Test
    void aPinnedVersionIsInstalledAsPinned() {
        var plan = planned(feed(release("1.0.0"), release("1.1.0"), release("2.0.0")),
                new UpgradePolicy("stable", UpgradeScope.PATCH, new Semver("1.1.0"), Duration.ZERO));

        assertThat(plan.target()).hasToString("1.1.0");
        assertThat(hops(plan)).containsExactly("1.1.0:Target");
    }

    @Test
    void requiredStopsAndMinUpgradeFromBringEveryBundleTheTargetBuildsOnInOrder() {
        var plan = planned(feed(release("1.0.0"), release("1.1.0").stop(), release("1.1.2").stop(),
                release("1.4.0"), release("2.0.0").minUpgradeFrom("1.4.0")), PATCH_ONLY);

        assertThat(hops(plan)).containsExactly("1.1.2:RequiredStop", "1.4.0:MinUpgradeFrom", "2.0.0:Target");
    }

    @Test
    void noUsableReleaseIsNoTarget() {
        var plan = planned(feed(release("1.0.0").blocked("data loss"), release("1.1.0").channels("fast")), PATCH_ONLY);

        assertThat(plan.hasUpdate()).isFalse();
        assertThat(plan.current()).isNull();
    }

    @Test
    void aStopWithNoUsableReleaseIsNoPathWordedForAnEmptyDatabase() {
        PlanOutcome outcome = InstallPlanner.plan(feed(release("1.2.0").stop().blocked("broken"), release("10.0.0")),
                PATCH_ONLY, NOW);

        assertThat(outcome).isInstanceOfSatisfying(PlanOutcome.Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo(PlanErrorCode.NoPath);
            assertThat(failed.message()).contains("from an empty database to 10.0.0").doesNotContain("0.0.0 ");
        });
    }
}
