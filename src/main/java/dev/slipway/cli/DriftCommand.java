package dev.slipway.cli;

import dev.slipway.core.schema.DriftAnalyzer;
import dev.slipway.core.schema.DriftFinding;
import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.core.schema.Severity;
import dev.slipway.database.DatabaseException;
import dev.slipway.database.DatabaseVerifier;
import dev.slipway.database.FlywayMigrator;
import dev.slipway.artifacts.ReleaseArtifacts;
import dev.slipway.releaseapi.Release;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.releaseapi.ReleaseCatalog;
import jakarta.inject.Inject;
import java.util.Comparator;
import dev.slipway.database.DbConnection;
import dev.slipway.database.DriftFixer;
import dev.slipway.database.DriftFixer.AppliedStatement;
import dev.slipway.database.PgSchemaReader;
import dev.slipway.database.SnapshotJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Compare a database's schema with an expected snapshot and suggest SQL for each difference.",
                "With --feed and --product the expected snapshot is that of the release the database's Flyway history"
                        + " is at; --expected takes a snapshot file.",
                "--fix applies the Fixable statements only (each in its own transaction, printed first); it never drops"
                        + " anything, and on a database with a Flyway history it needs --feed, so it never creates what"
                        + " a later release's migrations create. Exit 0: no drift, 1: drift remains, 2: bad input or"
                        + " database unreachable."})
public class DriftCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Option(names = "--expected", paramLabel = "<snapshot.json>",
            description = "Expected schema snapshot (from `slipway snapshot` or the vendor's release); for a database"
                    + " without a Flyway history. Or give --feed and --product instead.")
    Path expected;

    @ArgGroup(exclusive = false, multiplicity = "0..1")
    FeedOption feed;

    @Option(names = "--fix", description = "Apply the Fixable statements.")
    boolean fix;

    @Option(names = "--dry-run", description = "With --fix: print the statements, run nothing.")
    boolean dryRun;

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
        if (dryRun && !fix) {
            return CliOutput.error(output.format(), out, err, "InvalidArgument", "--dry-run", "--dry-run only goes with --fix");
        }
        if ((expected == null) == (feed == null)) {
            return CliOutput.error(output.format(), out, err, "InvalidArgument", "--expected", "give either --expected"
                    + " <snapshot.json> or --feed and --product (the snapshot of the release the database is at)");
        }
        try {
            DbConnection connection = database.connection();
            SchemaSnapshot wanted = feed != null ? installedSnapshot(connection, err) : readExpected(expected);
            if (feed == null && fix && DatabaseVerifier.hasFlywayHistory(connection, wanted.schemas())) {
                throw new CliInputException("FixNeedsFeed", "--fix", "the database has a Flyway history, and a snapshot"
                        + " file may describe a later release: creating what a later migration creates would make the"
                        + " next migrate fail. Give --feed and --product instead of --expected, so drift is fixed"
                        + " towards the snapshot of the release the history is at");
            }
            List<DriftFinding> findings = DriftAnalyzer.compare(wanted, PgSchemaReader.read(connection, wanted.schemas()));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("findings", findings);
            List<DriftFinding> remaining = findings;
            if (fix) {
                // Each statement is shown before it runs: on stdout in text mode, on stderr when stdout is JSON.
                PrintWriter progress = output.text() ? out : err;
                List<AppliedStatement> fixes = DriftFixer.apply(connection, findings, dryRun, step -> {
                    progress.println((dryRun ? "would apply: " : "applying: ") + step.statement().replace("\n", "\n    "));
                    progress.flush();
                });
                result.put("fixes", fixes);
                if (!dryRun) {
                    remaining = DriftAnalyzer.compare(wanted, PgSchemaReader.read(connection, wanted.schemas()));
                    result.put("remainingFindings", remaining);
                }
                if (output.text()) {
                    fixes.stream().filter(step -> step.error() != null)
                            .forEach(step -> out.println("failed: " + step.object() + ": " + step.error()));
                }
            }
            result.put("summary", summary(remaining));
            if (output.text()) {
                out.print(DriftText.describe(remaining));
                out.flush();
            } else {
                CliOutput.printJson(out, result);
            }
            return remaining.isEmpty() ? CliOutput.EXIT_OK : CliOutput.EXIT_FINDINGS;
        } catch (CliInputException e) {
            return CliOutput.error(output.format(), out, err, e.code(), e.field(), e.getMessage());
        } catch (DatabaseException e) {
            return CliOutput.error(output.format(), out, err, e.code(), null, database.describe(e));
        }
    }

    /** The schemaSnapshot of the release the database's Flyway history is at; says which on standard error. */
    private SchemaSnapshot installedSnapshot(DbConnection connection, PrintWriter err) {
        ReleaseCatalog catalog = ReleaseOptions.fetch(feed, client);
        Release newest = catalog.releases().stream().max(Comparator.comparing(Release::version)).orElseThrow(
                () -> new CliInputException("InvalidFeed", "--feed", "the feed of " + catalog.product() + " has no releases"));
        String schemaVersion;
        try (ReleaseArtifacts artifacts = ReleaseOptions.artifacts(feed, client, catalog, newest)) {
            schemaVersion = new FlywayMigrator(connection, artifacts.migrations().orElseThrow(() -> new CliInputException(
                    "MissingArtifact", "--feed", "no release of " + catalog.product() + " publishes a migration bundle")))
                    .info().currentVersion();
        }
        if (schemaVersion == null) {
            throw new CliInputException("EmptyDatabase", "--feed", "the database has no migration history, so no"
                    + " release is installed to compare with");
        }
        Release installed = ReleaseOptions.releaseAtSchema(catalog, schemaVersion).orElseThrow(() ->
                new CliInputException("UnknownInstalledVersion", "--feed", "no release in the feed has schema version "
                        + schemaVersion + ", the version of the database's Flyway history"));
        try (ReleaseArtifacts artifacts = ReleaseOptions.artifacts(feed, client, catalog, installed)) {
            SchemaSnapshot snapshot = artifacts.snapshot().orElseThrow(() -> new CliInputException("MissingArtifact",
                    "--feed", "release " + installed.version() + " (and every release below it) publishes no schemaSnapshot"));
            err.println("expected schema: the schemaSnapshot of " + ReleaseOptions.snapshotOf(catalog, installed)
                    .orElseThrow() + ", for " + installed.version() + ", the release the database's Flyway history is at"
                    + " (schema " + schemaVersion + ")");
            err.flush();
            return snapshot;
        }
    }

    static Map<String, Long> summary(List<DriftFinding> findings) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Severity severity : Severity.values()) {
            counts.put(severity.label(), DriftText.count(findings, severity));
        }
        return counts;
    }

    static SchemaSnapshot readExpected(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return SnapshotJson.read(in);
        } catch (SnapshotJson.InvalidSnapshotException e) {
            throw new CliInputException("InvalidSnapshot", "--expected", file + " is " + e.getMessage());
        } catch (IOException e) {
            throw new CliInputException("InvalidArgument", "--expected", "cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
