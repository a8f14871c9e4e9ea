package dev.slipway.bench;

import dev.slipway.database.DbConnection;
import dev.slipway.database.TemplateCloner;
import dev.slipway.demo.LocalPostgres;
import dev.slipway.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * P9: a TemplateClone backup ({@link TemplateCloner#cloneTo}: CREATE DATABASE … TEMPLATE plus the owner, grants and
 * settings carried over) of a 1 GiB database against {@code pg_dump -Fc} of the same database to a file, the backup an
 * admin would otherwise take by hand before an upgrade.
 */
final class TemplateCloneBenchmarks {

    private static final long GIB = 1L << 30;
    /** Rows added per INSERT while filling: the server generates them (generate_series), one statement each. */
    private static final int ROWS_PER_FILL = 1_000_000;
    private static final int RUNS = 3;

    private TemplateCloneBenchmarks() {
    }

    static List<Row> run(List<String> notes) throws Exception {
        LocalPostgres.Database database = PostgresServer.get().createDatabase("bench_clone");
        long fillStarted = System.nanoTime();
        long size = fill(database);
        long fillMillis = (System.nanoTime() - fillStarted) / 1_000_000;
        // As the Backup step runs it: the admin role (here the test server's superuser) on the application's database.
        DbConnection admin = PostgresServer.get().adminConnection().onDatabase(database.name());
        TemplateCloner cloner = new TemplateCloner(admin);
        Path dump = Files.createTempFile("slipway-bench-dump", ".pgdump");
        int[] copies = {0};
        Comparison comparison = Comparison.interleaved(0, RUNS,
                () -> {
                    String backup = database.name() + "_copy" + ++copies[0];
                    return () -> {
                        cloner.cloneTo(backup);
                        cloner.drop(backup);
                    };
                },
                () -> () -> PostgresTools.run(database, "pg_dump", "--format=custom", "--file=" + dump));
        long dumpBytes = Files.size(dump);
        Files.delete(dump);
        PostgresTools.drop(database);
        notes.add("P9: one table (bigint key, timestamptz, numeric, two text columns of 32 and 128 characters) filled"
                + " with generate_series inserts of " + ROWS_PER_FILL + " rows until pg_database_size reached 1 GiB: "
                + Samples.format(size / (1024.0 * 1024.0)) + " MiB in " + fillMillis + " ms (untimed). TemplateClone = "
                + "`TemplateCloner.cloneTo` as the superuser (CREATE DATABASE … TEMPLATE, PostgreSQL's default"
                + " WAL_LOG strategy, then owner, grants and settings), followed by DROP DATABASE of the copy inside the"
                + " timed work so every run starts alike; pg_dump -Fc (default compression) writes a file of "
                + Samples.format(dumpBytes / (1024.0 * 1024.0)) + " MiB and is a new process each run. Runs alternate,"
                + " no warm-up (each run moves a gigabyte; the caches are warm after the fill). Issue 17 sets no target"
                + " for P9; ≤ 1 × baseline records whether the clone costs less than the dump it stands in for.");
        return List.of(new Row("P9", "TemplateClone backup of a 1 GiB database", comparison.figure(),
                "pg_dump -Fc to a file", comparison.baseline(), Target.ratioAtMost(1)));
    }

    /** Fills one table until the database holds 1 GiB; returns pg_database_size. */
    private static long fill(LocalPostgres.Database database) {
        database.execute("CREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamptz NOT NULL,"
                + " amount numeric(12, 2) NOT NULL, customer text NOT NULL, note text NOT NULL)");
        DbConnection connection = database.connection();
        long size = 0;
        for (long from = 1; size < GIB; from += ROWS_PER_FILL) {
            database.execute("INSERT INTO orders SELECT n, timestamptz '2026-01-01' + n * interval '1 second',"
                    + " (n % 100000) / 100.0, md5(n::text), repeat(md5((n + 1)::text), 4)"
                    + " FROM generate_series(" + from + ", " + (from + ROWS_PER_FILL - 1) + ") AS n");
            size = new TemplateCloner(connection).sizeBytes(database.name());
        }
        database.execute("VACUUM ANALYZE orders");
        return size;
    }
}
