package dev.slipway.database;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a database is and how to log in. {@link #toString()} never shows the password, not even one written into the
 * URL's query ({@code ?password=...}), so the record can appear in logs and messages.
 */
public record DbConnection(String jdbcUrl, String username, String password) {

    private static final Driver DRIVER = new org.postgresql.Driver();

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("([?&])password=([^&]*)&?");

    /**
     * A {@code password} parameter in the URL moves to {@code password} (unless one is given), so the URL that
     * reaches the driver, Flyway's logs and messages never carries it.
     */
    public DbConnection {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (expected jdbc:postgresql://host:port/database): "
                    + redactedUrl(jdbcUrl));
        }
        Matcher inUrl = PASSWORD_PARAMETER.matcher(jdbcUrl);
        if (inUrl.find()) {
            password = password != null ? password : URLDecoder.decode(inUrl.group(2), StandardCharsets.UTF_8);
            jdbcUrl = inUrl.replaceFirst(inUrl.group(0).endsWith("&") ? "$1" : "");
        }
    }

    /**
     * Opens a session; a null user or password is left to the driver (URL parameters, .pgpass, OS user). The driver
     * is called directly: DriverManager only sees drivers of the caller's class loader, which under Quarkus is not
     * always the one that registered PostgreSQL's.
     */
    public Connection open() throws SQLException {
        Properties login = new Properties();
        if (username != null) {
            login.setProperty("user", username);
        }
        if (password != null) {
            login.setProperty("password", password);
        }
        return DRIVER.connect(jdbcUrl, login);
    }

    /**
     * The same server, login and parameters, on another database: the URL's database part replaced (added when the
     * URL has none, where the driver would take the user's name).
     */
    public DbConnection onDatabase(String database) {
        String prefix = "jdbc:postgresql:";
        String rest = jdbcUrl.substring(prefix.length());
        int query = rest.indexOf('?') < 0 ? rest.length() : rest.indexOf('?');
        String server = "";
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            server = rest.substring(0, slash < 0 || slash > query ? query : slash) + "/";
        }
        String encoded = URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        return new DbConnection(prefix + server + encoded + rest.substring(query), username, password);
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
