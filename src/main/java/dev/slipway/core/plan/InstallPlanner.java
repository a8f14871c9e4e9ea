package dev.slipway.core.plan;

import dev.slipway.core.window.UpgradeScope;
import dev.slipway.releaseapi.Release;
import java.time.Instant;
import java.util.List;
import org.semver4j.Semver;

/**
 * Plans a first install: which release an empty database is brought to, and through which releases' bundles.
 *
 * <p>The target is chosen as for an upgrade (the pinned version, else the newest usable release), except that
 * {@code policy.allow} does not narrow it: allow bounds the change from a running version, and nothing runs yet.
 *
 * <p>The hops are the path {@link UpgradePlanner} would take from before the first release ({@link #ORIGIN}),
 * required stops and {@code minUpgradeFrom} included. A release's bundle is only promised to migrate a database from
 * the versions it may be upgraded from: a vendor may squash the migrations before a required stop or below a
 * {@code minUpgradeFrom} into a baseline that later bundles no longer carry. Applying each hop's bundle in order
 * therefore reaches the target's schema whatever the vendor squashed. The application itself starts only at the
 * target: the starts at required stops exist for the data migrations the application runs on existing rows, and an
 * empty database has none.
 */
public final class InstallPlanner {

    /** The version an empty database is treated as being at: below every release. */
    public static final Semver ORIGIN = Semver.ZERO;

    private InstallPlanner() {
    }

    /** A {@link PlanOutcome.Planned} whose {@code current} is null (nothing installed), or why none exists. */
    public static PlanOutcome plan(List<Release> releases, UpgradePolicy policy, Instant now) {
        UpgradePolicy anyVersion = new UpgradePolicy(policy.channel(), UpgradeScope.MAJOR, policy.pinnedVersion(),
                policy.minReleaseAge());
        PlanOutcome outcome = UpgradePlanner.plan(ORIGIN, releases, anyVersion, now);
        if (outcome instanceof PlanOutcome.Planned planned) {
            return new PlanOutcome.Planned(null, planned.target(), planned.steps(), planned.availableUpdates(),
                    planned.latest());
        }
        PlanOutcome.Failed failed = (PlanOutcome.Failed) outcome;
        // The planner words its reasons from a running version; here there is none.
        return new PlanOutcome.Failed(failed.code(),
                failed.message().replaceAll("(?<![\\d.])0\\.0\\.0(?![\\d.])", "an empty database"));
    }
}
