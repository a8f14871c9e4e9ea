package dev.slipway.database;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The server and database of a JDBC URL as libpq's tools (pg_dump, pg_restore) take them: their environment variables
 * {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE} and {@code PGSSLMODE}. libpq cannot read a JDBC URL, and a URI
 * built from one would carry JDBC-only parameters libpq refuses.
 */
public record LibpqTarget(String host, int port, String database, Optional<String> sslMode) {

    private static final int DEFAULT_PORT = 5432;

    /** The target of {@code connection}'s URL; a URL without host or database is refused naming what is missing. */
    public static LibpqTarget of(DbConnection connection) {
        URI uri = URI.create(connection.jdbcUrl().substring("jdbc:".length()));
        String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (uri.getHost() == null || database.isEmpty()) {
            throw new IllegalArgumentException("the JDBC URL " + connection.redactedUrl() + " names no host and "
                    + "database (expected jdbc:postgresql://host:port/database), which pg_dump needs");
        }
        Optional<String> sslMode = Optional.ofNullable(uri.getRawQuery()).stream()
                .flatMap(query -> Arrays.stream(query.split("&")))
                .filter(parameter -> parameter.startsWith("sslmode="))
                .map(parameter -> URLDecoder.decode(parameter.substring("sslmode=".length()), StandardCharsets.UTF_8))
                .findFirst();
        return new LibpqTarget(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
                URLDecoder.decode(database, StandardCharsets.UTF_8), sslMode);
    }

    /** The major version of the server {@code connection} reaches (15 for 15.4). */
    public static int serverMajorVersion(DbConnection connection) {
        try (Connection session = connection.open()) {
            return session.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, connection, "read the server version of");
        }
    }
}
