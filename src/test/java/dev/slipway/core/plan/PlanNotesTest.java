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

class PlanNotesTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final List<Release> FEED = feed(release("1.0.0"), release("1.1.0"), release("1.2.0").blocked("data loss"),
            release("2.0.0"), release("2.1.0").publishedAt("2026-11-20T09:00:00Z"), release("3.0.0").channels("beta"));
    private static final UpgradePolicy MINOR = new UpgradePolicy("stable", UpgradeScope.MINOR, null, Duration.ofDays(1));

    private static List<PlanNotes.Note> notes(String current, UpgradePolicy policy) {
        PlanOutcome.Planned planned = (PlanOutcome.Planned) UpgradePlanner.plan(new Semver(current), FEED, policy, NOW);
        return PlanNotes.of(new Semver(current), FEED, policy, NOW, planned);
    }

    @Test
    void noUpdateWithinTheScopeNamesTheNewerReleasesAndWhyTheyAreLeftOut() {
        assertThat(notes("1.1.0", MINOR)).containsExactly(
                new PlanNotes.BeyondAllowedScope(new Semver("2.0.0"), UpgradeScope.MAJOR),
                new PlanNotes.NewerButUnusable(new Semver("2.1.0"),
                        "is younger than minReleaseAge (published 2026-11-20T09:00:00Z)"),
                new PlanNotes.NewerButUnusable(new Semver("1.2.0"), "is blocked by the vendor: data loss"));
        assertThat(notes("1.1.0", MINOR).get(0).message()).isEqualTo("2.0.0 is available but is a major upgrade");
    }

    @Test
    void theNewestUsableReleaseWithinTheScopeLeavesNothingToSayButTheUnusableOnes() {
        UpgradePolicy major = new UpgradePolicy("stable", UpgradeScope.MAJOR, null, Duration.ofDays(1));

        assertThat(notes("2.0.0", major)).containsExactly(new PlanNotes.NewerButUnusable(new Semver("2.1.0"),
                "is younger than minReleaseAge (published 2026-11-20T09:00:00Z)"));
        assertThat(notes("2.1.0", UpgradePolicy.defaults())).isEmpty();
    }

    @Test
    void aCurrentVersionOutsideTheFeedIsSaid() {
        assertThat(notes("2.0.5", MINOR)).contains(new PlanNotes.CurrentNotInFeed(new Semver("2.0.5")));
    }

    @Test
    void aPinBeyondTheAllowedScopeIsSaidAndOtherwiseNot() {
        UpgradePolicy pinnedMajor = new UpgradePolicy("stable", UpgradeScope.MINOR, new Semver("2.0.0"), Duration.ZERO);
        UpgradePolicy pinnedMinor = new UpgradePolicy("stable", UpgradeScope.MINOR, new Semver("1.1.0"), Duration.ZERO);

        assertThat(notes("1.0.0", pinnedMajor)).containsExactly(
                new PlanNotes.PinBeyondAllowedScope(new Semver("2.0.0"), UpgradeScope.MAJOR, UpgradeScope.MINOR));
        assertThat(notes("1.0.0", pinnedMinor)).isEmpty();
    }

    @Test
    void anUnknownChannelNamesTheChannelsThatExist() {
        assertThat(PlanNotes.unknownChannel("shop", FEED, "stable")).isEmpty();
        assertThat(PlanNotes.unknownChannel("shop", FEED, "lts"))
                .hasValue("channel 'lts' has no releases in the feed of shop; its channels are beta, stable");
        assertThat(PlanNotes.unknownChannel("shop", List.of(), "stable"))
                .hasValue("channel 'stable' has no releases in the feed of shop (the feed has no releases)");
    }
}
