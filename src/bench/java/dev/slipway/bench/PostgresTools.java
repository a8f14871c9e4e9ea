package dev.slipway.bench;

import dev.slipway.demo.LocalPostgres;
import dev.slipway.testing.PostgresServer;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The PostgreSQL client programs the baselines run, pointed at a benchmark database. */
final class PostgresTools {

    private PostgresTools() {
    }

    /** Runs {@code program} (pg_dump, psql) with a connection to {@code database}; its output is discarded. */
    static void run(LocalPostgres.Database database, String program, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary(program).toString(), "--dbname=" + libpqUri(database),
                "--username=" + database.user()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(Redirect.DISCARD);
        builder.environment().put("PGPASSWORD", database.password());
        Process process = builder.start();
        String errors = new String(process.getErrorStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(program + " failed on " + database + ": " + errors);
        }
    }

    /** Drops a benchmark database right away, so the server's shutdown does not have gigabytes to delete. */
    static void drop(LocalPostgres.Database database) throws SQLException {
        try (Connection admin = PostgresServer.get().adminConnection().open();
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE " + database.name() + " WITH (FORCE)");
        }
    }

    private static String libpqUri(LocalPostgres.Database database) {
        String url = database.jdbcUrl().substring("jdbc:".length());
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** The program of the newest PostgreSQL installed under /usr/lib/postgresql (Debian layout). */
    static Path binary(String program) throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin").resolve(program))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparingInt(PostgresTools::majorVersion))
                    .orElseThrow(() -> new IllegalStateException(program + " not found under /usr/lib/postgresql"));
        }
    }

    private static int majorVersion(Path binary) {
        return Integer.parseInt(binary.getParent().getParent().getFileName().toString().replaceAll("\\..*", ""));
    }
}
