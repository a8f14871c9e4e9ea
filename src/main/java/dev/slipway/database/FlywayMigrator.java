package dev.slipway.database;

import dev.slipway.core.migration.MigrationEntry;
import dev.slipway.core.migration.MigrationStatus;
import dev.slipway.database.DatabaseException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * Runs a directory of {@code V<n>__<description>.sql} files against one database with Flyway, the way an upgrade hop
 * needs it: up to a target schema version, all of a run's migrations in ONE transaction ({@code group}: PostgreSQL
 * DDL is transactional, so a failing migration leaves none of the run applied), under Flyway's PostgreSQL advisory
 * lock so two migrators never interleave. Waiting for any lock gives up after {@code lockTimeout} with
 * {@link Kind#LOCK_TIMEOUT} instead of hanging.
 *
 * <p>Failures are {@link DatabaseException}s with a one-line message; Flyway's own multi-line reports (SQL text and
 * all) stay in the cause.
 */
public final class FlywayMigrator {

    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(2);
    /** How Flyway's refusal of a target version without a migration begins (a plain FlywayException). */
    private static final String FLYWAY_MISSING_TARGET = "No migration with a target version";

    private final DbConnection database;
    private final Path migrationsDirectory;
    private final Duration lockTimeout;
    private List<String> schemas = List.of();

    /** Told about each migration just before it runs (inside the run's transaction: it commits with the rest). */
    @FunctionalInterface
    public interface MigrationListener {
        void migrating(MigrationEntry migration);
    }

    /** What a {@link #migrate} call did: the schema version before and after, and the migrations it applied. */
    public record MigrationRun(String fromVersion, String toVersion, List<MigrationEntry> applied) {
        public MigrationRun {
            applied = List.copyOf(applied);
        }
    }

    public FlywayMigrator(DbConnection database, Path migrationsDirectory) {
        this(database, migrationsDirectory, DEFAULT_LOCK_TIMEOUT);
    }

    /**
     * The schemas Flyway manages, the first holding its history table (Flyway's {@code schemas} setting); empty
     * means the connection's default schema.
     */
    public FlywayMigrator inSchemas(List<String> schemas) {
        this.schemas = schemas == null ? List.of() : List.copyOf(schemas);
        return this;
    }

    public FlywayMigrator(DbConnection database, Path migrationsDirectory, Duration lockTimeout) {
        this.database = database;
        this.migrationsDirectory = migrationsDirectory.toAbsolutePath().normalize();
        this.lockTimeout = lockTimeout;
    }

    /**
     * Applies every pending migration up to {@code targetSchemaVersion} (all of them when null) in one transaction.
     * Refuses to start when the history is not valid (failed, changed or unknown migrations) or the target has no file.
     * Flyway checks both in the same connection and history read as the migration itself (a separate check first
     * would cost another connection and resolution, which an upgrade pays at every hop).
     */
    public MigrationRun migrate(String targetSchemaVersion, MigrationListener listener) {
        FluentConfiguration configuration = configuration()
                // Flyway ignores applied migrations newer than the files by default; here they make the history invalid
                .ignoreMigrationPatterns(new String[0])
                .target(targetSchemaVersion == null ? MigrationVersion.LATEST : MigrationVersion.fromVersion(targetSchemaVersion))
                .callbacks(new ReportEachMigration(listener));
        try {
            MigrateResult result = configuration.load().migrate();
            return new MigrationRun(result.initialSchemaVersion, result.targetSchemaVersion == null
                    ? result.initialSchemaVersion : result.targetSchemaVersion,
                    result.migrations.stream().map(migration -> new MigrationEntry(migration.version,
                            migration.description, Path.of(migration.filepath).getFileName().toString())).toList());
        } catch (FlywayValidateException e) {
            throw invalidHistory(e);
        } catch (FlywayException e) {
            if (targetSchemaVersion != null && e.getMessage() != null
                    && e.getMessage().startsWith(FLYWAY_MISSING_TARGET)) {
                throw new DatabaseException(Kind.TARGET_NOT_FOUND, "no migration file for target schema version "
                        + targetSchemaVersion + " in " + migrationsDirectory, null);
            }
            throw translate(e);
        }
    }

    /** Says what is wrong in the words of {@link #info()}, read only now that Flyway found the history invalid. */
    private DatabaseException invalidHistory(FlywayValidateException e) {
        List<String> problems = info().problems();
        return new DatabaseException(Kind.INVALID_HISTORY, "the migration history of " + database.redactedUrl()
                + " does not match the migration files: " + (problems.isEmpty() ? firstLine(e.getMessage())
                : String.join("; ", problems)), e);
    }

    /** The history against the files: applied, pending, failed, checksum mismatches, unknown applied. Read-only. */
    public MigrationStatus info() {
        List<MigrationEntry> applied = new ArrayList<>();
        List<MigrationEntry> pending = new ArrayList<>();
        List<MigrationEntry> failed = new ArrayList<>();
        List<MigrationEntry> checksumMismatch = new ArrayList<>();
        List<MigrationEntry> unknownApplied = new ArrayList<>();
        try {
            var info = configuration().load().info();
            for (MigrationInfo migration : info.all()) {
                MigrationEntry entry = entry(migration);
                switch (migration.getState()) {
                    case PENDING, IGNORED -> pending.add(entry);
                    case FAILED, MISSING_FAILED, FUTURE_FAILED -> failed.add(entry);
                    case MISSING_SUCCESS, FUTURE_SUCCESS -> {
                        applied.add(entry);
                        unknownApplied.add(entry);
                    }
                    case SUCCESS, OUT_OF_ORDER, BASELINE -> {
                        applied.add(entry);
                        if (!migration.isChecksumMatching()) {
                            checksumMismatch.add(entry);
                        }
                    }
                    default -> {
                        // ABOVE_TARGET, BELOW_BASELINE, UNDONE, ...: neither applied nor due
                    }
                }
            }
            String current = Optional.ofNullable(info.current()).map(MigrationInfo::getVersion)
                    .map(MigrationVersion::getVersion).orElse(null);
            return new MigrationStatus(current, applied, pending, failed, checksumMismatch, unknownApplied);
        } catch (FlywayException e) {
            throw translate(e);
        }
    }

    /**
     * Flyway's own validation of the history against the files, pending migrations allowed: one line per invalid
     * migration ("1 (create customers): checksum mismatch ..."), empty when valid. Also catches what {@link #info()}
     * does not classify, such as a changed description or type. Read-only.
     */
    public List<String> validate() {
        try {
            ValidateResult result = configuration().ignoreMigrationPatterns("*:pending").load().validateWithResult();
            return result.invalidMigrations == null ? List.of() : result.invalidMigrations.stream()
                    .map(invalid -> invalid.version + " (" + invalid.description + "): "
                            + firstLine(invalid.errorDetails == null ? null : invalid.errorDetails.errorMessage))
                    .toList();
        } catch (FlywayException e) {
            throw translate(e);
        }
    }

    private FluentConfiguration configuration() {
        if (!Files.isDirectory(migrationsDirectory)) {
            throw new DatabaseException(Kind.INVALID_MIGRATIONS, "migration directory " + migrationsDirectory
                    + " does not exist", null);
        }
        FluentConfiguration configuration = Flyway.configure(FlywayMigrator.class.getClassLoader());
        if (!schemas.isEmpty()) {
            configuration.schemas(schemas.toArray(String[]::new));
        }
        return configuration
                .dataSource(database.jdbcUrl(), database.username(), database.password())
                .locations("filesystem:" + migrationsDirectory)
                .group(true)
                .validateOnMigrate(true)
                .cleanDisabled(true)
                .baselineOnMigrate(false)
                .outOfOrder(false)
                .connectRetries(0)
                .outputQueryResults(false)
                // Flyway polls its advisory lock once a second; lock_timeout bounds waits for table locks too.
                .lockRetryCount((int) Math.max(1, (lockTimeout.toMillis() + 999) / 1000))
                .initSql("SET lock_timeout = '" + lockTimeout.toMillis() + "ms'");
    }

    /** Whether two schema versions are the same to Flyway ("1.10" and "1.10.0" are). */
    public static boolean sameVersion(String first, String second) {
        return MigrationVersion.fromVersion(first).equals(MigrationVersion.fromVersion(second));
    }

    private static MigrationEntry entry(MigrationInfo migration) {
        return new MigrationEntry(migration.getVersion() == null ? null : migration.getVersion().getVersion(),
                migration.getDescription(), migration.getScript());
    }

    private DatabaseException translate(FlywayException e) {
        Optional<SQLException> sqlError = rootSqlException(e);
        String reason = sqlError.map(DatabaseErrors::firstLine).orElseGet(() -> firstLine(e.getMessage()));
        if (sqlError.map(SQLException::getSQLState).filter("55P03"::equals).isPresent()
                || mentions(e, "attempting to acquire PostgreSQL advisory lock")) {
            return new DatabaseException(Kind.LOCK_TIMEOUT, "gave up after " + lockTimeout.toSeconds() + "s waiting for a"
                    + " lock on " + database.redactedUrl() + " (another migrator is running, or a session holds locks on"
                    + " the migrated tables); nothing was applied. pg_locks joined with pg_stat_activity shows which session"
                    + " holds it; run again once it has finished", e);
        }
        if (e instanceof FlywayMigrateException failed && failed.getMigration() != null) {
            MigrationEntry migration = entry(failed.getMigration());
            if (sqlError.filter(DatabaseErrors::isConnectionLost).isPresent()) {
                return new DatabaseException(Kind.CONNECTION_FAILED, "lost the connection to " + database.redactedUrl()
                        + " during migration " + migration.label() + "; PostgreSQL rolled the run back: " + reason,
                        migration, e);
            }
            return new DatabaseException(Kind.MIGRATION_FAILED, "migration " + migration.label() + " failed, so this run"
                    + " was rolled back and none of its migrations is applied: " + reason, migration, e);
        }
        if (sqlError.filter(DatabaseErrors::isConnectionProblem).isPresent()) {
            return DatabaseErrors.translate(sqlError.get(), database, "migrate");
        }
        return new DatabaseException(Kind.MIGRATION_FAILED, "Flyway failed on " + database.redactedUrl() + ": " + reason, e);
    }

    private static Optional<SQLException> rootSqlException(Throwable e) {
        SQLException deepest = null;
        for (Throwable cause = e; cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                deepest = sql;
            }
        }
        return Optional.ofNullable(deepest);
    }

    private static boolean mentions(Throwable e, String text) {
        for (Throwable cause = e; cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        return message == null ? "unknown error" : Arrays.stream(message.split("\\R")).filter(line -> !line.isBlank())
                .findFirst().orElse(message).strip();
    }

    /** Reports each migration to the listener as Flyway starts it. */
    private record ReportEachMigration(MigrationListener listener) implements Callback {
        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            listener.migrating(entry(context.getMigrationInfo()));
        }

        @Override
        public String getCallbackName() {
            return "slipway-progress";
        }
    }
}
