package dev.slipway.cli;

import dev.slipway.core.migration.MigrationEntry;
import dev.slipway.core.migration.VerificationReport;
import dev.slipway.core.window.UpgradeScope;
import dev.slipway.core.plan.Hop;
import dev.slipway.core.plan.PlanOutcome;
import dev.slipway.core.plan.UpgradePlanner;
import dev.slipway.core.plan.UpgradePolicy;
import dev.slipway.database.DatabaseException;
import dev.slipway.database.DatabaseVerifier;
import dev.slipway.database.DbConnection;
import dev.slipway.database.FlywayMigrator;
import dev.slipway.artifacts.ReleaseArtifacts;
import dev.slipway.releaseapi.Release;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.releaseapi.ReleaseCatalog;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Upgrade a database's schema like the operator does: plan the hops (required stops included),"
                + " verify the installed version first, then run each hop's Flyway migrations up to its schema version,"
                + " all-or-nothing per hop, under Flyway's advisory lock, printing each migration as it runs.",
                "Exit 0: migrated (or nothing to do), 1: verification found a blocking problem (nothing migrated),"
                        + " 2: bad input, unreachable feed or database, or a failed hop."})
public class MigrateCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @ArgGroup(exclusive = false, multiplicity = "1")
    FeedOption feed;

    @Option(names = "--to", required = true, description = "Release to upgrade to.")
    String to;

    @Option(names = "--from", description = "Installed release (default: read from the database's Flyway history).")
    String from;

    @Option(names = "--channel", defaultValue = "stable", description = "Channel to follow (default: ${DEFAULT-VALUE}).")
    String channel;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Inject
    ReleaseApiClient client;

    @Inject
    Clock clock;

    private PrintWriter progress;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Progress shares stdout with a text report; when stdout is JSON, progress goes to stderr.
        progress = output.text() ? out : err;
        try {
            ReleaseCatalog catalog = ReleaseOptions.fetch(feed, client);
            DbConnection connection = database.connection();
            Release target = ReleaseOptions.release(catalog, ReleaseOptions.version(to, "--to"), "--to");
            Release installed = from != null
                    ? ReleaseOptions.release(catalog, ReleaseOptions.version(from, "--from"), "--from")
                    : installedRelease(catalog, target, connection);
            PlanOutcome outcome = UpgradePlanner.plan(installed.version(), catalog.releases(),
                    new UpgradePolicy(channel, UpgradeScope.MAJOR, target.version(), Duration.ZERO), clock.instant());
            if (outcome instanceof PlanOutcome.Failed failed) {
                return CliOutput.error(output.format(), out, err, failed.code().name(), null, failed.message());
            }
            List<Hop> hops = ((PlanOutcome.Planned) outcome).steps();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("from", installed.version().toString());
            result.put("to", target.version().toString());
            VerificationReport verification = verifyInstalled(catalog, installed, connection);
            result.put("verification", verification);
            if (verification != null && verification.blocking()) {
                result.put("hops", List.of());
                print(out, result, "Verification of " + installed.version() + " is blocking: nothing migrated.\n"
                        + VerificationText.describe(installed.version().toString(), verification));
                return CliOutput.EXIT_FINDINGS;
            }
            result.put("hops", migrate(catalog, hops, connection));
            print(out, result, hops.isEmpty() ? "Already at " + target.version() + ": nothing to do.\n"
                    : "Migrated from " + installed.version() + " to " + target.version() + " in " + hops.size()
                            + (hops.size() == 1 ? " hop.\n" : " hops.\n"));
            return CliOutput.EXIT_OK;
        } catch (CliInputException e) {
            return CliOutput.error(output.format(), out, err, e.code(), e.field(), e.getMessage());
        } catch (DatabaseException e) {
            return CliOutput.error(output.format(), out, err, e.code(), null, e.getMessage());
        }
    }

    private List<Map<String, Object>> migrate(ReleaseCatalog catalog, List<Hop> hops, DbConnection connection) {
        List<Map<String, Object>> done = new ArrayList<>();
        for (int index = 0; index < hops.size(); index++) {
            Hop hop = hops.get(index);
            String name = "hop " + (index + 1) + " of " + hops.size() + " (" + hop.version() + ")";
            report(name + ": " + (hop.schemaVersion() == null ? "no migrations" : "migrating to schema " + hop.schemaVersion()));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("version", hop.version());
            entry.put("reason", hop.reason().name());
            entry.put("schemaVersion", hop.schemaVersion());
            List<MigrationEntry> applied = List.of();
            if (hop.schemaVersion() != null) {
                try (ReleaseArtifacts artifacts = download(catalog, hop.release())) {
                    applied = new FlywayMigrator(connection, artifacts.migrations().orElseThrow())
                            .migrate(hop.schemaVersion(), migration -> report("  applying " + migration.script()))
                            .applied();
                } catch (DatabaseException e) {
                    throw new DatabaseException(e.kind(), name + " failed: " + e.getMessage()
                            + (index == 0 ? "" : "; earlier hops stay committed"), e.migration(), e);
                }
            }
            entry.put("applied", applied);
            done.add(entry);
        }
        return done;
    }

    /** Verification needs the installed release's bundle and snapshot; without a snapshot, Flyway's validation remains. */
    private VerificationReport verifyInstalled(ReleaseCatalog catalog, Release installed, DbConnection connection) {
        try (ReleaseArtifacts artifacts = download(catalog, installed)) {
            if (artifacts.migrations().isEmpty() || artifacts.snapshot().isEmpty()) {
                report("release " + installed.version() + " publishes no migration bundle or schemaSnapshot:"
                        + " drift not checked, Flyway validates the history before migrating");
                return null;
            }
            report("verifying the database against " + installed.version());
            return DatabaseVerifier.verify(connection, artifacts.migrations().get(), artifacts.snapshot().get());
        }
    }

    private Release installedRelease(ReleaseCatalog catalog, Release target, DbConnection connection) {
        String schemaVersion;
        try (ReleaseArtifacts artifacts = download(catalog, target)) {
            schemaVersion = new FlywayMigrator(connection, artifacts.migrations().orElseThrow(() -> new CliInputException(
                    "MissingArtifact", "--to", "release " + target.version() + " publishes no migration bundle")))
                    .info().currentVersion();
        }
        if (schemaVersion == null) {
            throw new CliInputException("UnknownInstalledVersion", "--from",
                    "the database has no migration history; name the installed release with --from");
        }
        return catalog.releases().stream()
                .filter(release -> release.schemaVersion() != null
                        && FlywayMigrator.sameVersion(release.schemaVersion(), schemaVersion))
                .max(java.util.Comparator.comparing(Release::version))
                .orElseThrow(() -> new CliInputException("UnknownInstalledVersion", "--from", "no release in the feed"
                        + " has schema version " + schemaVersion + "; name the installed release with --from"));
    }

    private ReleaseArtifacts download(ReleaseCatalog catalog, Release release) {
        return ReleaseOptions.artifacts(feed, client, catalog, release);
    }

    private void report(String line) {
        progress.println(line);
        progress.flush();
    }

    private void print(PrintWriter out, Map<String, Object> result, String text) {
        if (output.text()) {
            out.print(text);
            out.flush();
        } else {
            CliOutput.printJson(out, result);
        }
    }
}
