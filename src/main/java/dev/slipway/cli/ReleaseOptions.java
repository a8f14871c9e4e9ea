package dev.slipway.cli;

import dev.slipway.artifacts.ArtifactStore;
import dev.slipway.artifacts.ReleaseArtifacts;
import dev.slipway.core.plan.PlanNotes;
import dev.slipway.database.FlywayMigrator;
import dev.slipway.database.SnapshotJson;
import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.Release;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.releaseapi.ReleaseCatalog;
import java.util.Comparator;
import java.util.Optional;
import org.semver4j.Semver;

/** Finding a release named on the command line, with errors that name the option. */
final class ReleaseOptions {

    private ReleaseOptions() {
    }

    static Semver version(String text, String option) {
        Semver version = Semver.parse(text);
        if (version == null) {
            throw new CliInputException("InvalidVersion", option, "'" + text + "' is not a SemVer version");
        }
        return version;
    }

    static Release release(ReleaseCatalog catalog, Semver version, String option) {
        return catalog.find(version).orElseThrow(() -> new CliInputException("UnknownVersion", option,
                "version " + version + " is not in the feed of " + catalog.product()));
    }

    /** @throws CliInputException naming {@code --channel} and the channels that exist when no release lists it */
    static void requireChannel(ReleaseCatalog catalog, String channel) {
        PlanNotes.unknownChannel(catalog.product(), catalog.releases(), channel).ifPresent(reason -> {
            throw new CliInputException("UnknownChannel", "--channel", reason);
        });
    }

    static ReleaseCatalog fetch(FeedOption feed, ReleaseApiClient client) {
        try {
            return feed.fetch(client);
        } catch (FeedException e) {
            throw feedError(e);
        }
    }

    /** The release's bundle and snapshot (or those of the newest lower release that has them), downloaded. */
    static ReleaseArtifacts artifacts(FeedOption feed, ReleaseApiClient client, ReleaseCatalog catalog, Release release) {
        try {
            return ArtifactStore.temporaryFor(client, feed.source(), catalog, release);
        } catch (FeedException e) {
            throw feedError(e);
        }
    }

    /** The release a database is at: the newest release whose schemaVersion is the history's current version. */
    static Release installedRelease(ReleaseCatalog catalog, String schemaVersion) {
        return releaseAtSchema(catalog, schemaVersion).orElseThrow(() -> new CliInputException("UnknownInstalledVersion", "--from", "no release in the feed"
                        + " has schema version " + schemaVersion + "; name the installed release with --from"));
    }

    static Optional<Release> releaseAtSchema(ReleaseCatalog catalog, String schemaVersion) {
        return catalog.releases().stream()
                .filter(release -> release.schemaVersion() != null
                        && FlywayMigrator.sameVersion(release.schemaVersion(), schemaVersion))
                .max(Comparator.comparing(Release::version));
    }

    /**
     * The release whose schemaSnapshot {@link ReleaseArtifacts} uses for {@code release}: its own, else that of the
     * newest lower release that publishes one (the same rule), so reports can say what they compared against.
     */
    static Optional<Semver> snapshotOf(ReleaseCatalog catalog, Release release) {
        return catalog.releases().stream()
                .filter(candidate -> candidate.version().compareTo(release.version()) <= 0)
                .filter(candidate -> candidate.schemaSnapshot() != null)
                .map(Release::version)
                .max(Comparator.naturalOrder());
    }

    /** The same codes the plan command uses for feed problems. */
    private static CliInputException feedError(FeedException e) {
        return new CliInputException(e.kind() == FeedException.Kind.InvalidVersion ? "InvalidVersion" : "InvalidFeed",
                "--feed", e.getMessage());
    }
}
