package dev.slipway.core.plan;

import dev.slipway.core.window.UpgradeScope;
import static dev.slipway.core.plan.Releases.feed;
import static dev.slipway.core.plan.Releases.release;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.releaseapi.Release;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.semver4j.Semver;

class UpgradePlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    private static UpgradePolicy allow(UpgradeScope kind) {
        return new UpgradePolicy("stable", kind, null, Duration.ZERO);
    }

    private static UpgradePolicy pinned(String version) {
        return new UpgradePolicy("stable", UpgradeScope.MINOR, new Semver(version), Duration.ZERO);
    }

    private static PlanOutcome.Planned planned(String current, List<Release> releases, UpgradePolicy policy) {
        PlanOutcome outcome = UpgradePlanner.plan(new Semver(current), releases, policy, NOW);
        assertThat(outcome).isInstanceOf(PlanOutcome.Planned.class);
        return (PlanOutcome.Planned) outcome;
    }

    private static PlanOutcome.Failed failed(String current, List<Release> releases, UpgradePolicy policy) {
        PlanOutcome outcome = UpgradePlanner.plan(new Semver(current), releases, policy, NOW);
        assertThat(outcome).isInstanceOf(PlanOutcome.Failed.class);
        return (PlanOutcome.Failed) outcome;
    }

    private static List<String> hops(PlanOutcome.Planned plan) {
        return plan.steps().stream().map(h -> h.version() + ":" + h.reason()).toList();
    }

    @Test
    void newestAllowedReleaseIsReachedInOneHopWhenNothingStandsInTheWay() {
        var plan = planned("1.0.0", feed(release("1.0.0"), release("1.0.1"), release("1.1.0"), release("1.2.3")),
                allow(UpgradeScope.MINOR));
        assertThat(plan.target()).hasToString("1.2.3");
        assertThat(hops(plan)).containsExactly("1.2.3:Target");
        assertThat(plan.availableUpdates()).extracting(Semver::toString).containsExactly("1.0.1", "1.1.0", "1.2.3");
    }

    @Test
    void allowLimitsTheTargetRelativeToTheCurrentVersion() {
        var releases = feed(release("1.0.0"), release("1.0.5"), release("1.3.0"), release("2.1.0"));
        assertThat(planned("1.0.0", releases, allow(UpgradeScope.PATCH)).target()).hasToString("1.0.5");
        assertThat(planned("1.0.0", releases, allow(UpgradeScope.MINOR)).target()).hasToString("1.3.0");
        var major = planned("1.0.0", releases, allow(UpgradeScope.MAJOR));
        assertThat(major.target()).hasToString("2.1.0");
        assertThat(major.latest()).hasToString("2.1.0");
    }

    @Test
    void requiredStopLineMustBeVisitedAndItsHighestReleaseIsChosen() {
        var plan = planned("1.0.0", feed(release("1.1.0"), release("1.2.0").stop(), release("1.2.1"),
                release("1.3.0"), release("2.0.0"), release("2.1.0")), allow(UpgradeScope.MAJOR));
        assertThat(hops(plan)).containsExactly("1.2.1:RequiredStop", "2.1.0:Target");
    }

    @Test
    void upgradingWithinAStopLineOrLandingOnItNeedsNoExtraHop() {
        var releases = feed(release("1.2.0").stop(), release("1.2.4"), release("1.3.0"));
        assertThat(hops(planned("1.2.0", releases, allow(UpgradeScope.PATCH)))).containsExactly("1.2.4:Target");
        assertThat(hops(planned("1.1.0", feed(release("1.2.0").stop()), allow(UpgradeScope.MINOR))))
                .containsExactly("1.2.0:Target");
        // From inside a stop line onwards, the stop is already behind.
        assertThat(hops(planned("1.2.0", releases, allow(UpgradeScope.MINOR)))).containsExactly("1.3.0:Target");
    }

    @Test
    void consecutiveRequiredStopsAreEachVisited() {
        var plan = planned("1.0.0", feed(release("1.1.0").stop(), release("1.2.0").stop(), release("1.3.0")),
                allow(UpgradeScope.MINOR));
        assertThat(hops(plan)).containsExactly("1.1.0:RequiredStop", "1.2.0:RequiredStop", "1.3.0:Target");
    }

    @Test
    void minUpgradeFromForcesAnIntermediateHop() {
        var plan = planned("1.0.0", feed(release("1.1.0"), release("1.4.0"), release("1.5.0").minUpgradeFrom("1.4.0")),
                allow(UpgradeScope.MINOR));
        assertThat(hops(plan)).containsExactly("1.4.0:MinUpgradeFrom", "1.5.0:Target");
    }

    @Test
    void amongShortestPathsTheHighestHopsWin() {
        // 1.0.0 → {1.1.0 | 1.2.0} → 1.5.0 (needs ≥ 1.1.0): both are two hops; 1.2.0 is higher.
        var plan = planned("1.0.0", feed(release("1.1.0"), release("1.2.0"), release("1.5.0").minUpgradeFrom("1.1.0")),
                allow(UpgradeScope.MINOR));
        assertThat(hops(plan)).containsExactly("1.2.0:MinUpgradeFrom", "1.5.0:Target");
    }

    @Test
    void unusableReleasesAreSkipped() {
        var releases = feed(release("1.1.0").blocked("data loss"), release("1.2.0").channels("fast"),
                release("1.3.0").publishedAt("2026-11-19T10:00:00Z"), release("1.0.2"));
        var young = new UpgradePolicy("stable", UpgradeScope.MINOR, null, Duration.ofDays(7));
        assertThat(planned("1.0.0", releases, young).target()).hasToString("1.0.2");
        assertThat(planned("1.0.0", releases, allow(UpgradeScope.MINOR)).target()).hasToString("1.3.0");
        var fast = new UpgradePolicy("fast", UpgradeScope.MINOR, null, Duration.ZERO);
        assertThat(planned("1.0.0", releases, fast).target()).hasToString("1.2.0");
    }

    @Test
    void minReleaseAgeBoundaryIsInclusive() {
        var releases = feed(release("1.1.0").publishedAt("2026-11-13T10:00:00Z"));
        var week = new UpgradePolicy("stable", UpgradeScope.MINOR, null, Duration.ofDays(7));
        assertThat(planned("1.0.0", releases, week).target()).hasToString("1.1.0");
    }

    @Test
    void aBlockedRequiredStopLeavesNoPathAndTheMessageNamesTheLine() {
        var releases = feed(release("1.2.0").stop().blocked("broken"), release("1.3.0"));
        var failure = failed("1.0.0", releases, allow(UpgradeScope.MINOR));
        assertThat(failure.code()).isEqualTo(PlanErrorCode.NoPath);
        assertThat(failure.message()).contains("required stop 1.2").contains("1.0.0").contains("1.3.0");
    }

    @Test
    void unreachableNewestFallsBackToTheNewestReachable() {
        var releases = feed(release("1.1.0"), release("1.3.0").minUpgradeFrom("1.2.0"));
        assertThat(planned("1.0.0", releases, allow(UpgradeScope.MINOR)).target()).hasToString("1.1.0");
    }

    @Test
    void minUpgradeFromThatNothingSatisfiesIsNoPath() {
        var failure = failed("1.0.0", feed(release("1.3.0").minUpgradeFrom("1.2.0")), allow(UpgradeScope.MINOR));
        assertThat(failure.code()).isEqualTo(PlanErrorCode.NoPath);
        assertThat(failure.message()).contains("requires upgrading from 1.2.0");
    }

    @Test
    void noNewerReleaseMeansNoUpdate() {
        var plan = planned("1.3.0", feed(release("1.2.0"), release("1.3.0")), allow(UpgradeScope.MAJOR));
        assertThat(plan.hasUpdate()).isFalse();
        assertThat(plan.steps()).isEmpty();
    }

    @Test
    void currentVersionNeedNotBeInTheFeed() {
        assertThat(planned("1.0.7", feed(release("1.1.0")), allow(UpgradeScope.MINOR)).target()).hasToString("1.1.0");
    }

    @Test
    void pinnedVersionIsTheTargetEvenBeyondAllow() {
        var plan = planned("1.0.0", feed(release("1.2.0").stop(), release("2.0.0"), release("2.1.0")), pinned("2.0.0"));
        assertThat(hops(plan)).containsExactly("1.2.0:RequiredStop", "2.0.0:Target");
    }

    @Test
    void pinnedVersionErrors() {
        var releases = feed(release("1.1.0"), release("1.2.0").blocked("data loss"), release("1.3.0").channels("fast"));
        assertThat(failed("1.1.0", releases, pinned("1.0.0")).code()).isEqualTo(PlanErrorCode.DowngradeNotSupported);
        assertThat(failed("1.0.0", releases, pinned("1.9.0")).message()).contains("1.9.0 is not in the feed");
        var blocked = failed("1.0.0", releases, pinned("1.2.0"));
        assertThat(blocked.code()).isEqualTo(PlanErrorCode.PinnedVersionUnavailable);
        assertThat(blocked.message()).contains("blocked by the vendor: data loss");
        assertThat(failed("1.0.0", releases, pinned("1.3.0")).message()).contains("not on channel stable");
        assertThat(planned("1.1.0", releases, pinned("1.1.0")).hasUpdate()).isFalse();
    }

    @Test
    void preReleasesOrderBySemverPrecedence() {
        var plan = planned("1.0.0", feed(release("1.1.0-rc.1"), release("1.1.0"), release("1.1.0-rc.2")),
                allow(UpgradeScope.MINOR));
        assertThat(plan.target()).hasToString("1.1.0");
    }
}
