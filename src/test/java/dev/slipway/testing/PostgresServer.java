package dev.slipway.testing;

import dev.slipway.database.DbConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real PostgreSQL every database and operator test runs against: one server per JVM, one fresh database per
 * test class (or test), so tests are isolated without paying for a server start each time.
 *
 * <p>Where the server comes from:
 * <ul>
 * <li>{@code SLIPWAY_TEST_DB_URL} set (e.g. {@code jdbc:postgresql://db:5432/postgres}, a superuser's maintenance
 * database, credentials from {@code SLIPWAY_TEST_DB_USER}/{@code SLIPWAY_TEST_DB_PASSWORD}): that server is used and
 * never stopped; {@link #restart()} is unavailable.</li>
 * <li>otherwise: a throwaway cluster is created with the newest {@code /usr/lib/postgresql/<major>/bin} (Debian
 * package {@code postgresql}) in a temporary directory, listening on a free 127.0.0.1 port with its unix socket in
 * that directory and scram-sha-256 password authentication. initdb refuses to run as root, so as root the cluster
 * belongs to the {@code postgres} user ({@code runuser -u postgres --}). Durability is switched off (fsync etc.)
 * because the data is thrown away. A JVM shutdown hook stops the server and deletes the directory.</li>
 * </ul>
 *
 * <p>Use: {@code PostgresServer.get().createDatabase("drift")} gives a new empty database and its owner's
 * credentials; {@link #createRole}, {@link #createReadOnlyRole}, {@link #terminateConnections} and
 * {@link #restart()} exist for read-only and fault tests.
 */
public final class PostgresServer {

    private static final String SUPERUSER = "postgres";
    private static final Path POSTGRESQL_HOME = Path.of("/usr/lib/postgresql");
    private static final AtomicInteger NAME_COUNTER = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static PostgresServer instance;

    private final DbConnection admin;
    private final LocalCluster cluster;

    /** A database created for a test, owned by {@code user}. */
    public record Database(String name, String jdbcUrl, String user, String password) {
        public DbConnection connection() {
            return new DbConnection(jdbcUrl, user, password);
        }

        public Connection open() throws SQLException {
            return new DbConnection(jdbcUrl, user, password).open();
        }

        /** Runs SQL statements (each may contain several commands) as the owner, in autocommit mode. */
        public void execute(String... sql) {
            try (Connection connection = open(); Statement statement = connection.createStatement()) {
                for (String each : sql) {
                    statement.execute(each);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("SQL failed on " + name + ": " + e.getMessage(), e);
            }
        }

        /** Whether {@code qualifiedName} (e.g. {@code public.orders}) names an existing table or view. */
        public boolean relationExists(String qualifiedName) {
            try (Connection connection = open(); PreparedStatement statement =
                    connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                statement.setString(1, qualifiedName);
                try (var result = statement.executeQuery()) {
                    result.next();
                    return result.getBoolean(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("query failed on " + name + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "Database[" + name + "]";
        }
    }

    /** A login role. */
    public record Role(String name, String password) {
        @Override
        public String toString() {
            return "Role[" + name + "]";
        }
    }

    private PostgresServer(DbConnection admin, LocalCluster cluster) {
        this.admin = admin;
        this.cluster = cluster;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            String url = System.getenv("SLIPWAY_TEST_DB_URL");
            if (url != null && !url.isBlank()) {
                instance = new PostgresServer(new DbConnection(url, envOr("SLIPWAY_TEST_DB_USER", SUPERUSER),
                        envOr("SLIPWAY_TEST_DB_PASSWORD", "")), null);
            } else {
                LocalCluster cluster = LocalCluster.start();
                instance = new PostgresServer(cluster.adminConnection(), cluster);
            }
        }
        return instance;
    }

    /** A new, empty database (named {@code <prefix>_<n>_<random>}) owned by a new login role. */
    public Database createDatabase(String prefix) {
        String name = uniqueName(prefix);
        Role owner = createRole(name + "_owner");
        executeAsAdmin("CREATE DATABASE " + name + " OWNER " + owner.name());
        return new Database(name, jdbcUrlOf(name), owner.name(), owner.password());
    }

    /**
     * A new database with the same contents and owner as {@code template} (PostgreSQL copies it file by file, much
     * faster than re-running its DDL). The template must have no open sessions.
     */
    public Database copyOf(Database template, String prefix) {
        String name = uniqueName(prefix);
        String sql = "CREATE DATABASE " + name + " TEMPLATE " + template.name() + " OWNER " + template.user();
        for (int attempt = 1; ; attempt++) {
            try {
                executeAsAdmin(sql);
                return new Database(name, jdbcUrlOf(name), template.user(), template.password());
            } catch (IllegalStateException stillInUse) {
                // a just-closed session of the template can take a moment to end
                if (attempt == 50 || !stillInUse.getMessage().contains("being accessed by other users")) {
                    throw stillInUse;
                }
                sleepBriefly();
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A new login role with a random password and the given extra attributes (e.g. {@code "CREATEDB"}). */
    public Role createRole(String prefix, String... attributes) {
        String name = uniqueName(prefix);
        String password = HexFormat.of().formatHex(randomBytes(12));
        executeAsAdmin("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "' " + String.join(" ", attributes));
        return new Role(name, password);
    }

    /**
     * A role that can connect to {@code database} and read (never write) everything in {@code schemas}: what an admin
     * gives Slipway as {@code readOnlySecretRef}. The role's session is read-only by default, too.
     */
    public DbConnection createReadOnlyRole(Database database, String... schemas) {
        Role role = createRole(database.name() + "_ro");
        executeAsAdmin("ALTER ROLE " + role.name() + " SET default_transaction_read_only = on");
        executeAsAdmin("GRANT CONNECT ON DATABASE " + database.name() + " TO " + role.name());
        List<String> grants = new ArrayList<>();
        for (String schema : schemas) {
            grants.add("GRANT USAGE ON SCHEMA " + schema + " TO " + role.name());
            grants.add("GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + role.name());
            grants.add("GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role.name());
        }
        database.execute(grants.toArray(String[]::new));
        return new DbConnection(database.jdbcUrl(), role.name(), role.password());
    }

    /** Kills every session of {@code databaseName} (as {@code pg_terminate_backend} does for an admin). */
    public int terminateConnections(String databaseName) {
        try (Connection connection = openAdmin(); PreparedStatement statement = connection.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            statement.setString(1, databaseName);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not terminate connections of " + databaseName + ": " + e.getMessage(), e);
        }
    }

    /** Stops and starts the server (fast shutdown: sessions are cut). Only for the throwaway cluster. */
    public void restart() {
        if (cluster == null) {
            throw new UnsupportedOperationException("restart() needs the throwaway cluster, not SLIPWAY_TEST_DB_URL");
        }
        cluster.pgCtl("restart", "-m", "fast");
    }

    /** Stops the throwaway cluster (for outage tests); {@link #start()} brings it back. */
    public void stop() {
        if (cluster == null) {
            throw new UnsupportedOperationException("stop() needs the throwaway cluster, not SLIPWAY_TEST_DB_URL");
        }
        cluster.pgCtl("stop", "-m", "fast");
    }

    public void start() {
        if (cluster == null) {
            throw new UnsupportedOperationException("start() needs the throwaway cluster, not SLIPWAY_TEST_DB_URL");
        }
        cluster.startServer();
    }

    public DbConnection adminConnection() {
        return admin;
    }

    private void executeAsAdmin(String sql) {
        try (Connection connection = openAdmin(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("admin SQL failed: " + e.getMessage(), e);
        }
    }

    private Connection openAdmin() throws SQLException {
        return admin.open();
    }

    private String jdbcUrlOf(String databaseName) {
        // jdbc:postgresql://host:port/db?params -> same server, other database
        String url = admin.jdbcUrl();
        int pathStart = url.indexOf('/', "jdbc:postgresql://".length());
        int queryStart = url.indexOf('?');
        String query = queryStart < 0 ? "" : url.substring(queryStart);
        return url.substring(0, pathStart) + "/" + databaseName + query;
    }

    private static String uniqueName(String prefix) {
        String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return clean + "_" + NAME_COUNTER.incrementAndGet() + "_" + HexFormat.of().formatHex(randomBytes(3));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    /** The throwaway cluster: binaries, directory, port and the commands that drive it. */
    private record LocalCluster(Path binaries, Path directory, int port, String superuserPassword, boolean asPostgresUser) {

        static LocalCluster start() {
            Path binaries = newestBinaries();
            boolean root = "root".equals(System.getProperty("user.name"));
            try {
                Path directory = Files.createTempDirectory("slipway-pg-");
                String password = HexFormat.of().formatHex(randomBytes(16));
                Files.writeString(directory.resolve("pwfile"), password + "\n");
                if (root) {
                    run(List.of("chown", "-R", SUPERUSER + ":", directory.toString()), directory);
                }
                LocalCluster cluster = new LocalCluster(binaries, directory, freePort(), password, root);
                cluster.runBinary("initdb", "-D", cluster.dataDirectory().toString(), "-U", SUPERUSER,
                        "--pwfile=" + directory.resolve("pwfile"), "--auth-host=scram-sha-256", "--auth-local=trust",
                        "-E", "UTF8", "--locale=C", "--no-sync");
                Files.delete(directory.resolve("pwfile"));
                cluster.startServer();
                Runtime.getRuntime().addShutdownHook(new Thread(cluster::destroy, "postgres-test-server-stop"));
                return cluster;
            } catch (IOException e) {
                throw new UncheckedIOException("could not prepare the test PostgreSQL directory", e);
            }
        }

        Path dataDirectory() {
            return directory.resolve("data");
        }

        DbConnection adminConnection() {
            return new DbConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", SUPERUSER, superuserPassword);
        }

        void startServer() {
            pgCtl("start", "-o", String.join(" ", "-p", String.valueOf(port), "-k", directory.toString(),
                    "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off", "-c", "max_connections=200"));
        }

        void pgCtl(String action, String... options) {
            List<String> arguments = new ArrayList<>(List.of(action, "-D", dataDirectory().toString(), "-w",
                    "-t", "60", "-l", directory.resolve("server.log").toString()));
            arguments.addAll(List.of(options));
            runBinary("pg_ctl", arguments.toArray(String[]::new));
        }

        void destroy() {
            try {
                pgCtl("stop", "-m", "immediate");
            } catch (RuntimeException alreadyStopped) {
                // the directory goes anyway
            }
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp directory is harmless
            }
        }

        private void runBinary(String binary, String... arguments) {
            List<String> command = new ArrayList<>();
            if (asPostgresUser) {
                command.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
            }
            command.add(binaries.resolve(binary).toString());
            command.addAll(List.of(arguments));
            run(command, directory);
        }

        private static void run(List<String> command, Path workingDirectory) {
            try {
                // a working directory the postgres user can enter: initdb and pg_ctl chdir back to it
                Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                        .redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes());
                if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("test PostgreSQL: `" + String.join(" ", command) + "` failed:\n" + output);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("test PostgreSQL: could not run " + command.get(0), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + command.get(0), e);
            }
        }

        private static Path newestBinaries() {
            try (Stream<Path> versions = Files.list(POSTGRESQL_HOME)) {
                return versions.filter(path -> Files.isExecutable(path.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(LocalCluster::majorVersion))
                        .map(path -> path.resolve("bin"))
                        .orElseThrow(LocalCluster::noBinaries);
            } catch (IOException e) {
                throw noBinaries();
            }
        }

        private static int majorVersion(Path versionDirectory) {
            try {
                return Integer.parseInt(versionDirectory.getFileName().toString().replaceAll("\\..*", ""));
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static IllegalStateException noBinaries() {
            return new IllegalStateException("No PostgreSQL server binaries under " + POSTGRESQL_HOME
                    + ": install the Debian package `postgresql` (apt-get install postgresql) or set SLIPWAY_TEST_DB_URL"
                    + " (+ SLIPWAY_TEST_DB_USER / SLIPWAY_TEST_DB_PASSWORD) to a server where that user may create"
                    + " databases and roles.");
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }
}
