package dev.slipway.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Where a database is and how to log in. {@link #toString()} never shows the password, not even one written into the
 * URL's query ({@code ?password=...}), so the record can appear in logs and messages.
 */
public record DbConnection(String jdbcUrl, String username, String password) {

    private static final java.sql.Driver DRIVER = new org.postgresql.Driver();

    public DbConnection {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (expected jdbc:postgresql://host:port/database): "
                    + redactedUrl(jdbcUrl));
        }
    }

    public Connection open() throws SQLException {
        // The driver directly, not DriverManager: DriverManager only hands out drivers visible to the caller's class
        // loader, which is not always the application's under Quarkus (tests, dev mode).
        java.util.Properties properties = new java.util.Properties();
        if (username != null) {
            properties.setProperty("user", username);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        Connection connection = DRIVER.connect(jdbcUrl, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + redactedUrl());
        }
        return connection;
    }

    /** The URL without credentials that may sit in its query string. */
    public String redactedUrl() {
        return redactedUrl(jdbcUrl);
    }

    @Override
    public String toString() {
        return "DbConnection[" + redactedUrl() + ", user=" + username + ", password=" + (password == null ? "none" : "***") + "]";
    }

    static String redactedUrl(String url) {
        return url.replaceAll("(?i)((?:password|sslpassword)=)[^&]*", "$1***");
    }
}
