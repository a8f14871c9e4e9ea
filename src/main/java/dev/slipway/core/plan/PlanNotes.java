package dev.slipway.core.plan;

import dev.slipway.core.window.UpgradeScope;
import dev.slipway.releaseapi.Release;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.semver4j.Semver;

/**
 * What a plan alone does not say, so that "no update" is only ever said when it is true: newer releases the policy
 * leaves out (and why), a current version the feed does not know, a pin beyond the allowed scope. Pure.
 */
public final class PlanNotes {

    /** One thing the reader of a plan must also know. */
    public sealed interface Note {
        String message();
    }

    /** The installed version is not a release of the feed; the plan starts from it as given. */
    public record CurrentNotInFeed(Semver current) implements Note {
        @Override
        public String message() {
            return "the current version " + current + " is not in the feed";
        }
    }

    /** The newest usable release is a bigger step than the policy allows. */
    public record BeyondAllowedScope(Semver version, UpgradeScope scope) implements Note {
        @Override
        public String message() {
            return version + " is available but is a " + scope.name().toLowerCase(java.util.Locale.ROOT) + " upgrade";
        }
    }

    /** A newer release on the channel that cannot be used (blocked, too young). */
    public record NewerButUnusable(Semver version, String why) implements Note {
        @Override
        public String message() {
            return version + " is newer but " + why;
        }
    }

    /** The pinned target is a bigger step than {@code allowed}: the pin wins, which the reader must be told. */
    public record PinBeyondAllowedScope(Semver pinned, UpgradeScope scope, UpgradeScope allowed) implements Note {
        @Override
        public String message() {
            return "the pinned version " + pinned + " is a " + scope.name().toLowerCase(java.util.Locale.ROOT)
                    + " upgrade, beyond the allowed " + allowed.name().toLowerCase(java.util.Locale.ROOT)
                    + " scope: the pin takes precedence";
        }
    }

    private PlanNotes() {
    }

    /** The notes for {@code planned}, the outcome of planning with the same inputs. */
    public static List<Note> of(Semver current, List<Release> releases, UpgradePolicy policy, Instant now,
            PlanOutcome.Planned planned) {
        List<Note> notes = new ArrayList<>();
        if (releases.stream().noneMatch(release -> release.version().compareTo(current) == 0)) {
            notes.add(new CurrentNotInFeed(current));
        }
        Semver pinned = policy.pinnedVersion();
        if (pinned != null && pinned.isGreaterThan(current)
                && !policy.allow().allows(UpgradeScope.between(current, pinned))) {
            notes.add(new PinBeyondAllowedScope(pinned, UpgradeScope.between(current, pinned), policy.allow()));
        }
        if (pinned != null) {
            return notes;
        }
        Semver reached = planned.hasUpdate() ? planned.target() : current;
        List<Release> newerOnChannel = releases.stream()
                .filter(release -> release.version().isGreaterThan(reached))
                .filter(release -> release.channels().contains(policy.channel()))
                .sorted(Comparator.comparing(Release::version).reversed())
                .toList();
        newerOnChannel.stream()
                .filter(release -> UpgradePlanner.isUsable(release, policy, now))
                .findFirst()
                .map(newest -> new BeyondAllowedScope(newest.version(), UpgradeScope.between(current, newest.version())))
                .filter(beyond -> !policy.allow().allows(beyond.scope()))
                .ifPresent(notes::add);
        newerOnChannel.forEach(release -> UpgradePlanner.whyUnusable(release, policy, now)
                .ifPresent(why -> notes.add(new NewerButUnusable(release.version(), why))));
        return notes;
    }

    /** The channels the feed's releases list, sorted. */
    public static SortedSet<String> channels(List<Release> releases) {
        SortedSet<String> channels = new TreeSet<>();
        releases.forEach(release -> channels.addAll(release.channels()));
        return channels;
    }

    /** Empty when some release lists {@code channel}, else why the channel cannot be followed. */
    public static Optional<String> unknownChannel(String product, List<Release> releases, String channel) {
        SortedSet<String> channels = channels(releases);
        if (channels.contains(channel)) {
            return Optional.empty();
        }
        return Optional.of("channel '" + channel + "' has no releases in the feed of " + product
                + (channels.isEmpty() ? " (the feed has no releases)" : "; its channels are " + String.join(", ", channels)));
    }
}
