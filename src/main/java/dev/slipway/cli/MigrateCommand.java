package dev.slipway.cli;

import dev.slipway.core.migration.MigrationEntry;
import dev.slipway.core.migration.MigrationStatus;
import dev.slipway.core.migration.VerificationReport;
import dev.slipway.core.window.UpgradeScope;
import dev.slipway.core.plan.Hop;
import dev.slipway.core.plan.HopReason;
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
import java.math.BigInteger;
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

    @Option(names = "--from", description = "Installed release, or none for a first install into an empty database"
            + " (default: read from the database's Flyway history).")
    String from;

    @Option(names = "--channel", defaultValue = "stable", description = "Channel to follow (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--dry-run", description = "Verify and print the hops and the migrations each would apply;"
            + " change nothing.")
    boolean dryRun;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Inject
    ReleaseApiClient client;

    @Inject
    Clock clock;

    private PrintWriter progress;

    /** The value of {@code --from} that means: nothing is installed, this is the first install. */
    static final String FIRST_INSTALL = "none";

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Progress shares stdout with a text report; when stdout is JSON, progress goes to stderr.
        progress = output.text() ? out : err;
        try {
            ReleaseCatalog catalog = ReleaseOptions.fetch(feed, client);
            ReleaseOptions.requireChannel(catalog, channel);
            DbConnection connection = database.connection();
            Release target = ReleaseOptions.release(catalog, ReleaseOptions.version(to, "--to"), "--to");
            MigrationStatus history = history(catalog, target, connection);
            boolean firstInstall = FIRST_INSTALL.equals(from);
            if (firstInstall && history.currentVersion() != null) {
                throw new CliInputException("DatabaseNotEmpty", "--from", "--from none is for an empty database, but"
                        + " this one is at schema version " + history.currentVersion() + "; leave --from out to read"
                        + " the installed release from its history");
            }
            if (!firstInstall && history.currentVersion() == null) {
                throw new CliInputException("EmptyDatabase", "--from", "the database has no migration history, so"
                        + " nothing is installed; for a first install of " + target.version() + " pass --from none");
            }
            Release installed = firstInstall ? null : from != null
                    ? ReleaseOptions.release(catalog, ReleaseOptions.version(from, "--from"), "--from")
                    : ReleaseOptions.installedRelease(catalog, history.currentVersion());
            List<Hop> hops;
            if (firstInstall) {
                hops = List.of(new Hop(target, HopReason.Target));
            } else {
                PlanOutcome outcome = UpgradePlanner.plan(installed.version(), catalog.releases(),
                        new UpgradePolicy(channel, UpgradeScope.MAJOR, target.version(), Duration.ZERO), clock.instant());
                if (outcome instanceof PlanOutcome.Failed failed) {
                    return CliOutput.error(output.format(), out, err, failed.code().name(), null, failed.message());
                }
                hops = ((PlanOutcome.Planned) outcome).steps();
            }
            String fromText = firstInstall ? FIRST_INSTALL : installed.version().toString();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("from", fromText);
            result.put("to", target.version().toString());
            result.put("dryRun", dryRun);
            VerificationReport verification = firstInstall ? null : verifyInstalled(catalog, installed, connection);
            result.put("verification", verification);
            if (verification != null && verification.blocking()) {
                result.put("hops", List.of());
                print(out, result, "Verification of " + fromText + " is blocking: nothing migrated.\n"
                        + VerificationText.describe(fromText, verification));
                return CliOutput.EXIT_FINDINGS;
            }
            if (dryRun) {
                List<Map<String, Object>> planned = wouldApply(hops, history, firstInstall);
                result.put("hops", planned);
                print(out, result, dryRunText(fromText, target, planned));
                return CliOutput.EXIT_OK;
            }
            result.put("hops", migrate(catalog, hops, connection, firstInstall));
            print(out, result, hops.isEmpty() ? "Already at " + target.version() + ": nothing to do.\n"
                    : (firstInstall ? "Installed " + target.version() + " into the empty database.\n"
                    : "Migrated from " + fromText + " to " + target.version() + " in " + hops.size()
                            + (hops.size() == 1 ? " hop.\n" : " hops.\n")));
            return CliOutput.EXIT_OK;
        } catch (CliInputException e) {
            return CliOutput.error(output.format(), out, err, e.code(), e.field(), e.getMessage());
        } catch (DatabaseException e) {
            return CliOutput.error(output.format(), out, err, e.code(), null, database.describe(e));
        }
    }

    /** The Flyway schema version a hop migrates to; a first install applies the whole (cumulative) bundle. */
    private static String schemaTarget(Hop hop, boolean firstInstall) {
        return firstInstall ? null : hop.schemaVersion();
    }

    private static boolean migrates(Hop hop, boolean firstInstall) {
        return firstInstall || hop.schemaVersion() != null;
    }

    private List<Map<String, Object>> migrate(ReleaseCatalog catalog, List<Hop> hops, DbConnection connection,
            boolean firstInstall) {
        List<Map<String, Object>> done = new ArrayList<>();
        for (int index = 0; index < hops.size(); index++) {
            Hop hop = hops.get(index);
            String name = "hop " + (index + 1) + " of " + hops.size() + " (" + hop.version() + ")";
            report(name + ": " + (!migrates(hop, firstInstall) ? "no migrations" : firstInstall
                    ? "first install, every migration of the bundle" : "migrating to schema " + hop.schemaVersion()));
            Map<String, Object> entry = hopEntry(hop);
            List<MigrationEntry> applied = List.of();
            if (migrates(hop, firstInstall)) {
                try (ReleaseArtifacts artifacts = download(catalog, hop.release())) {
                    applied = new FlywayMigrator(connection, artifacts.migrations().orElseThrow())
                            .migrate(schemaTarget(hop, firstInstall), migration -> report("  applying " + migration.script()))
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

    /**
     * What each hop would apply: the pending migrations of the target's cumulative bundle, split at the hops' schema
     * versions.
     */
    private static List<Map<String, Object>> wouldApply(List<Hop> hops, MigrationStatus history, boolean firstInstall) {
        List<Map<String, Object>> planned = new ArrayList<>();
        List<MigrationEntry> remaining = new ArrayList<>(history.pending());
        for (Hop hop : hops) {
            Map<String, Object> entry = hopEntry(hop);
            List<MigrationEntry> due = new ArrayList<>();
            if (migrates(hop, firstInstall)) {
                String upTo = schemaTarget(hop, firstInstall);
                remaining.removeIf(migration -> (upTo == null || compareSchemaVersions(migration.version(), upTo) <= 0)
                        && due.add(migration));
            }
            entry.put("wouldApply", due);
            planned.add(entry);
        }
        return planned;
    }

    private static String dryRunText(String from, Release target, List<Map<String, Object>> planned) {
        StringBuilder text = new StringBuilder("Dry run: from " + from + " to " + target.version() + " in "
                + planned.size() + (planned.size() == 1 ? " hop" : " hops") + "; nothing changed.\n");
        for (int index = 0; index < planned.size(); index++) {
            Map<String, Object> hop = planned.get(index);
            @SuppressWarnings("unchecked")
            List<MigrationEntry> due = (List<MigrationEntry>) hop.get("wouldApply");
            text.append("  hop ").append(index + 1).append(" of ").append(planned.size()).append(" (")
                    .append(hop.get("version")).append(", ").append(hop.get("reason")).append("): ")
                    .append(due.isEmpty() ? "no migrations" : String.join(", ",
                            due.stream().map(MigrationEntry::script).toList()))
                    .append('\n');
        }
        return text.toString();
    }

    private static Map<String, Object> hopEntry(Hop hop) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("version", hop.version());
        entry.put("reason", hop.reason().name());
        entry.put("schemaVersion", hop.schemaVersion());
        return entry;
    }

    /** Flyway's order of schema versions: dot- or underscore-separated numbers, compared part by part. */
    static int compareSchemaVersions(String first, String second) {
        String[] a = first.split("[._]");
        String[] b = second.split("[._]");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            BigInteger left = i < a.length ? new BigInteger(a[i]) : BigInteger.ZERO;
            BigInteger right = i < b.length ? new BigInteger(b[i]) : BigInteger.ZERO;
            if (left.compareTo(right) != 0) {
                return left.compareTo(right);
            }
        }
        return 0;
    }

    /** Verification needs the installed release's bundle and snapshot; without a snapshot, Flyway's validation remains. */
    private VerificationReport verifyInstalled(ReleaseCatalog catalog, Release installed, DbConnection connection) {
        try (ReleaseArtifacts artifacts = download(catalog, installed)) {
            if (artifacts.migrations().isEmpty() || artifacts.snapshot().isEmpty()) {
                String missing = artifacts.migrations().isEmpty() ? "migration bundle" : "schemaSnapshot";
                report("release " + installed.version() + " (and every release below it) publishes no " + missing
                        + ": drift not checked, Flyway validates the history before migrating");
                return null;
            }
            report("verifying the database against " + installed.version());
            return DatabaseVerifier.verify(connection, artifacts.migrations().get(), artifacts.snapshot().get());
        }
    }

    /** The database's Flyway history against the target's (cumulative) bundle. */
    private MigrationStatus history(ReleaseCatalog catalog, Release target, DbConnection connection) {
        try (ReleaseArtifacts artifacts = download(catalog, target)) {
            return new FlywayMigrator(connection, artifacts.migrations().orElseThrow(() -> new CliInputException(
                    "MissingArtifact", "--to", "release " + target.version() + " (and every release below it)"
                            + " publishes no migration bundle"))).info();
        }
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
