package dev.slipway.bench;

import dev.slipway.demo.LocalPostgres;
import dev.slipway.database.FlywayMigrator;
import dev.slipway.testing.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** P4: FlywayMigrator applying 200 generated migrations against {@code psql -f} of the same SQL in one session. */
final class MigrationBenchmarks {

    private static final int MIGRATIONS = 200;

    private MigrationBenchmarks() {
    }

    static List<Row> run(List<String> notes) throws Exception {
        Path directory = Files.createTempDirectory("slipway-bench-migrations");
        Path concatenated = Files.createTempFile("slipway-bench-migrations", ".sql");
        StringBuilder allSql = new StringBuilder();
        for (int i = 1; i <= MIGRATIONS; i++) {
            String sql = migration(i);
            Files.writeString(directory.resolve("V" + i + "__step_" + i + ".sql"), sql);
            allSql.append(sql);
        }
        Files.writeString(concatenated, allSql);
        List<LocalPostgres.Database> used = new ArrayList<>();
        Comparison comparison = Comparison.interleaved(1, 7,
                () -> {
                    LocalPostgres.Database database = freshDatabase("bench_flyway", used);
                    return () -> new FlywayMigrator(database.connection(), directory).migrate(null, migration -> { });
                },
                () -> {
                    LocalPostgres.Database database = freshDatabase("bench_psql", used);
                    return () -> PostgresTools.run(database, "psql", "--no-psqlrc", "--quiet", "--single-transaction",
                            "--set=ON_ERROR_STOP=1", "--file=" + concatenated);
                });
        for (LocalPostgres.Database database : used) {
            PostgresTools.drop(database);
        }
        deleteAll(directory, concatenated);
        notes.add("P4: each of the 200 migrations creates a table with an index, inserts 100 rows and, from the"
                + " second on, adds a column to the previous table. Each run gets a fresh, empty database (created"
                + " untimed). Slipway's side is `FlywayMigrator.migrate` in the warmed benchmark JVM: Flyway's"
                + " validation of the history against the files, then one transaction for all migrations with"
                + " Flyway's history bookkeeping. psql runs the concatenated files with --single-transaction (one session, one"
                + " transaction, as Flyway's group mode does) and is a new process each run. Difference of the medians"
                + " spread over the migrations: " + Samples.format((comparison.figure().median()
                - comparison.baseline().median()) / MIGRATIONS) + " ms of Flyway/Slipway cost per migration.");
        return List.of(new Row("P4", "FlywayMigrator: " + MIGRATIONS + " generated migrations", comparison.figure(),
                "psql -f, same SQL, one session", comparison.baseline(), Target.ratioAtMost(1.3)));
    }

    private static LocalPostgres.Database freshDatabase(String prefix, List<LocalPostgres.Database> used) {
        LocalPostgres.Database database = PostgresServer.get().createDatabase(prefix);
        used.add(database);
        return database;
    }

    private static String migration(int step) {
        String table = "m" + step;
        String sql = "CREATE TABLE " + table + " (id bigint PRIMARY KEY, label text NOT NULL, amount numeric(10, 2));\n"
                + "CREATE INDEX " + table + "_label ON " + table + " (label);\n"
                + "INSERT INTO " + table + " SELECT n, 'row ' || n, n * 1.5 FROM generate_series(1, 100) AS n;\n";
        return step == 1 ? sql : sql + "ALTER TABLE m" + (step - 1) + " ADD COLUMN added_in_" + step + " integer;\n";
    }

    private static void deleteAll(Path directory, Path file) throws IOException {
        try (var files = Files.list(directory)) {
            for (Path each : files.toList()) {
                Files.delete(each);
            }
        }
        Files.delete(directory);
        Files.delete(file);
    }
}
