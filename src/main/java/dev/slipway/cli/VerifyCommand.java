package dev.slipway.cli;

import dev.slipway.core.migration.MigrationStatus;
import dev.slipway.core.migration.VerificationReport;
import dev.slipway.database.DatabaseException;
import dev.slipway.database.DatabaseVerifier;
import dev.slipway.artifacts.ReleaseArtifacts;
import dev.slipway.database.DbConnection;
import dev.slipway.releaseapi.Release;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.releaseapi.ReleaseCatalog;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check that a database is what an installed release expects: Flyway history against the release's"
                + " migration bundle (applied, pending, failed, checksum mismatch, unknown) and drift against its schema"
                + " snapshot. Reads only: a read-only role is enough.",
                "Exit 0: clean, 1: findings or pending migrations, 2: bad input, feed or database unreachable."})
public class VerifyCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @ArgGroup(exclusive = false, multiplicity = "1")
    FeedOption feed;

    @Option(names = "--version", required = true, description = "The installed release.")
    String version;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Inject
    ReleaseApiClient client;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ReleaseCatalog catalog = ReleaseOptions.fetch(feed, client);
            Release release = ReleaseOptions.release(catalog, ReleaseOptions.version(version, "--version"), "--version");
            DbConnection connection = database.connection();
            VerificationReport report = verify(catalog, release, connection);
            Release comparedWith = release;
            String advice = null;
            Release installed = behind(catalog, release, report);
            if (installed != null) {
                // A database still at an earlier release lacks what later migrations create: that is pending work
                // for migrate, not drift to fix by hand, so drift is measured against the release it is at.
                report = new VerificationReport(report.migrations(), verify(catalog, installed, connection).findings());
                comparedWith = installed;
                advice = "the database is at " + installed.version() + " (schema " + installed.schemaVersion()
                        + "), behind " + release.version() + ": run `slipway migrate --to " + release.version() + "`";
            }
            String snapshotOf = ReleaseOptions.snapshotOf(catalog, comparedWith).map(Object::toString).orElseThrow();
            String comparison = "drift compared with the schemaSnapshot of " + snapshotOf
                    + (snapshotOf.equals(comparedWith.version().toString()) ? ""
                    : " (" + comparedWith.version() + " publishes none)");
            if (output.text()) {
                out.print(VerificationText.describe(version, report));
                out.println("Note: " + comparison + ".");
                if (advice != null) {
                    out.println("Behind: " + advice + ".");
                }
                out.flush();
            } else {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("version", release.version().toString());
                result.put("expectedSchemaVersion", release.schemaVersion());
                result.put("snapshotOf", snapshotOf);
                result.put("installedVersion", installed == null ? null : installed.version().toString());
                result.put("advice", advice);
                result.put("report", report);
                CliOutput.printJson(out, result);
            }
            return report.clean() ? CliOutput.EXIT_OK : CliOutput.EXIT_FINDINGS;
        } catch (CliInputException e) {
            return CliOutput.error(output.format(), out, err, e.code(), e.field(), e.getMessage());
        } catch (DatabaseException e) {
            return CliOutput.error(output.format(), out, err, e.code(), null, database.describe(e));
        }
    }

    /**
     * The lower release the database is at when its valid history has only pending migrations of {@code release}
     * (one or more releases behind), else null.
     */
    private static Release behind(ReleaseCatalog catalog, Release release, VerificationReport report) {
        MigrationStatus migrations = report.migrations();
        if (migrations.currentVersion() == null || migrations.pending().isEmpty() || !migrations.isValid()) {
            return null;
        }
        return ReleaseOptions.releaseAtSchema(catalog, migrations.currentVersion())
                .filter(installed -> installed.version().isLowerThan(release.version())).orElse(null);
    }

    private VerificationReport verify(ReleaseCatalog catalog, Release release, DbConnection connection) {
        try (ReleaseArtifacts artifacts = ReleaseOptions.artifacts(feed, client, catalog, release)) {
            String missing = artifacts.migrations().isEmpty() ? "migration bundle" : artifacts.snapshot().isEmpty()
                    ? "schemaSnapshot" : null;
            if (missing != null) {
                throw new CliInputException("MissingArtifact", "--version", "release " + release.version()
                        + " (and every release below it) publishes no " + missing + ": nothing to verify against");
            }
            return DatabaseVerifier.verify(connection, artifacts.migrations().get(), artifacts.snapshot().get());
        }
    }
}
