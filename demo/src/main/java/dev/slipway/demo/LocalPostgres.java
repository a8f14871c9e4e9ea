package dev.slipway.demo;

import dev.slipway.database.DbConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * A PostgreSQL server to create databases and roles in: either a throwaway cluster on loopback ({@link #launch()},
 * for the demo and the tests) or an existing server reached as a superuser ({@link #existing(DbConnection)}, for
 * tests pointed at a server of their own).
 *
 * <p>The throwaway cluster runs the server programs {@link PostgresBinaries} finds: an installed PostgreSQL (by
 * default the newest {@code /usr/lib/postgresql/<major>/bin}, Debian package {@code postgresql}), else the one
 * embedded in Slipway. It lives in a temporary directory, listens on a free 127.0.0.1 port with its unix socket in
 * that directory and uses scram-sha-256 password authentication. initdb refuses to run as root, so as root the
 * cluster belongs to the unprivileged user {@code postgres} ({@code runuser -u postgres --}), created (as a system
 * user) when missing. Durability is off (fsync etc.) because the data is thrown away. {@link #close()}, or else a
 * JVM shutdown hook, stops the server and deletes the directory.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final String SUPERUSER = "postgres";
    /** The operating-system user that runs the server when we are root (Debian's name for it). */
    private static final String ROOTS_SERVER_USER = "postgres";
    private static final AtomicInteger NAME_COUNTER = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = Logger.getLogger(LocalPostgres.class);

    static {
        // DriverManager hands out only drivers registered from the caller's class loader; where the application is
        // started more than once in one JVM (the test harness), the first connection must not depend on luck
        if (!org.postgresql.Driver.isRegistered()) {
            registerDriver();
        }
    }

    private final DbConnection admin;
    private final Cluster cluster;

    /** A database and the login role that owns it. */
    public record Database(String name, String jdbcUrl, String user, String password) {
        public DbConnection connection() {
            return new DbConnection(jdbcUrl, user, password);
        }

        public Connection open() throws SQLException {
            return connection().open();
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

    private LocalPostgres(DbConnection admin, Cluster cluster) {
        this.admin = admin;
        this.cluster = cluster;
    }

    /**
     * Creates and starts a throwaway cluster from the installation in {@link PostgresBinaries#configuredHome()},
     * else from the embedded binaries.
     *
     * @throws IllegalStateException when there are neither (an unsupported platform)
     */
    public static LocalPostgres launch() {
        return launch(PostgresBinaries.configuredHome());
    }

    /** {@link #launch()} with the installation looked for in {@code postgresHome} instead. */
    static LocalPostgres launch(Path postgresHome) {
        Cluster cluster = Cluster.create(PostgresBinaries.find(postgresHome));
        return new LocalPostgres(cluster.adminConnection(), cluster);
    }

    /**
     * An existing server, reached as {@code admin} (a superuser, or a role that may create databases and roles). It
     * is never stopped: {@link #start()}, {@link #stop()} and {@link #restart()} are unavailable.
     */
    public static LocalPostgres existing(DbConnection admin) {
        return new LocalPostgres(admin, null);
    }

    public DbConnection adminConnection() {
        return admin;
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
                pause(20);
            }
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
     * Lets {@code role} create databases: with ownership of its database, what a TemplateClone backup needs (only an
     * owner or a superuser may use a database that is not marked as a template as one).
     */
    public void allowCreatedb(String role) {
        executeAsAdmin("ALTER ROLE " + role + " CREATEDB");
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
        try (Connection connection = admin.open(); PreparedStatement statement = connection.prepareStatement(
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

    /** Stops and starts the throwaway server (fast shutdown: sessions are cut). */
    public void restart() {
        throwaway("restart()").pgCtl("restart", "-m", "fast");
    }

    /** Stops the throwaway server (for outage rehearsals); {@link #start()} brings it back. */
    public void stop() {
        throwaway("stop()").pgCtl("stop", "-m", "fast");
    }

    /** Starts the throwaway server again after {@link #stop()}. */
    public void start() {
        throwaway("start()").startServer();
    }

    /** Stops the throwaway server and deletes its directory; an existing server is left alone. */
    @Override
    public void close() {
        if (cluster != null) {
            cluster.destroy();
        }
    }

    private Cluster throwaway(String operation) {
        if (cluster == null) {
            throw new UnsupportedOperationException(operation + " needs the throwaway cluster, not an existing server");
        }
        return cluster;
    }

    private void executeAsAdmin(String sql) {
        try (Connection connection = admin.open(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("admin SQL failed: " + e.getMessage(), e);
        }
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

    private static void registerDriver() {
        try {
            org.postgresql.Driver.register();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register the PostgreSQL JDBC driver: " + e.getMessage(), e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The throwaway cluster: binaries, directory, port and the commands that drive it. */
    private static final class Cluster {

        /** Whether {@link #serverUser()} has made sure the user exists; guarded by the class. */
        private static boolean serverUserChecked;

        private final Path binaries;
        private final Path directory;
        private final int port;
        private final String superuserPassword;
        /** The unprivileged user that runs the programs when we are root; null otherwise. */
        private final String serverUser;
        private final Thread stopOnExit = new Thread(this::removeFiles, "local-postgres-stop");
        private boolean destroyed;

        private Cluster(Path binaries, Path directory, int port, String superuserPassword, String serverUser) {
            this.binaries = binaries;
            this.directory = directory;
            this.port = port;
            this.superuserPassword = superuserPassword;
            this.serverUser = serverUser;
        }

        static Cluster create(Path binaries) {
            String serverUser = serverUser();
            try {
                Path directory = Files.createTempDirectory("slipway-pg-");
                String password = HexFormat.of().formatHex(randomBytes(16));
                Files.writeString(directory.resolve("pwfile"), password + "\n");
                if (serverUser != null) {
                    run(List.of("chown", "-R", serverUser + ":", directory.toString()), directory);
                }
                Cluster cluster = new Cluster(binaries, directory, freePort(), password, serverUser);
                Runtime.getRuntime().addShutdownHook(cluster.stopOnExit);
                cluster.runBinary("initdb", "-D", cluster.dataDirectory().toString(), "-U", SUPERUSER,
                        "--pwfile=" + directory.resolve("pwfile"), "--auth-host=scram-sha-256", "--auth-local=trust",
                        "-E", "UTF8", "--locale=C", "--no-sync");
                Files.delete(directory.resolve("pwfile"));
                cluster.startServer();
                return cluster;
            } catch (IOException e) {
                throw new UncheckedIOException("could not prepare the PostgreSQL directory", e);
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

        synchronized void destroy() {
            removeFiles();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway, and finds the cluster already gone
            }
        }

        private synchronized void removeFiles() {
            if (destroyed) {
                return;
            }
            destroyed = true;
            if (Files.exists(dataDirectory().resolve("postmaster.pid"))) {
                try {
                    pgCtl("stop", "-m", "immediate");
                } catch (RuntimeException cannotStop) {
                    // the user must learn of a server left running; the directory goes anyway
                    System.err.println("local PostgreSQL on port " + port + " may still be running: "
                            + cannotStop.getMessage());
                }
            }
            PostgresBinaries.deleteTree(directory);
        }

        private void runBinary(String binary, String... arguments) {
            List<String> command = new ArrayList<>();
            if (serverUser != null) {
                command.addAll(List.of("runuser", "-u", serverUser, "--"));
            }
            command.add(binaries.resolve(binary).toString());
            command.addAll(List.of(arguments));
            run(command, directory);
        }

        /**
         * As root, the unprivileged user that runs the server (initdb refuses root): {@code postgres}, created as a
         * system user when missing; null for anyone else. Decided once per JVM.
         */
        private static synchronized String serverUser() {
            if (!"root".equals(System.getProperty("user.name"))) {
                return null;
            }
            if (serverUserChecked) {
                return ROOTS_SERVER_USER;
            }
            Path workingDirectory = Path.of(System.getProperty("java.io.tmpdir"));
            if (exitCode(List.of("id", "-u", ROOTS_SERVER_USER), workingDirectory, new StringBuilder()) == 0) {
                LOG.infof("Running as root: the throwaway PostgreSQL runs as the existing user %s (initdb refuses "
                        + "root)", ROOTS_SERVER_USER);
            } else {
                run(List.of("useradd", "--system", "--user-group", "--no-create-home", "--shell",
                        "/usr/sbin/nologin", ROOTS_SERVER_USER), workingDirectory);
                // a warning: it changes the machine, so even the quiet demo says so
                LOG.warnf("Running as root: created the system user %s (useradd --system) to run the throwaway "
                        + "PostgreSQL (initdb refuses root)", ROOTS_SERVER_USER);
            }
            serverUserChecked = true;
            return ROOTS_SERVER_USER;
        }

        private static void run(List<String> command, Path workingDirectory) {
            StringBuilder output = new StringBuilder();
            if (exitCode(command, workingDirectory, output) != 0) {
                throw new IllegalStateException("local PostgreSQL: `" + String.join(" ", command) + "` failed:\n"
                        + output);
            }
        }

        /** Runs {@code command}, appends what it printed to {@code output} and returns its exit code. */
        private static int exitCode(List<String> command, Path workingDirectory, StringBuilder output) {
            try {
                // a working directory the postgres user can enter: initdb and pg_ctl chdir back to it
                Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                        .redirectErrorStream(true).start();
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    output.append("(still running after 120 s)");
                    return -1;
                }
                return process.exitValue();
            } catch (IOException e) {
                throw new UncheckedIOException("local PostgreSQL: could not run " + command.get(0), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + command.get(0), e);
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }
    }
}
