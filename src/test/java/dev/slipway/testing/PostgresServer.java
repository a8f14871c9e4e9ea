package dev.slipway.testing;

import dev.slipway.database.DbConnection;
import dev.slipway.demo.LocalPostgres;

/**
 * The PostgreSQL server of this test JVM: the one named by {@code SLIPWAY_TEST_DB_URL} (with
 * {@code SLIPWAY_TEST_DB_USER}, {@code SLIPWAY_TEST_DB_PASSWORD}; a role that may create databases and roles) when
 * set, otherwise a throwaway cluster ({@link LocalPostgres#launch()}) started once and stopped when the JVM exits:
 * from the installed PostgreSQL (Debian package {@code postgresql}, or the installation {@code SLIPWAY_POSTGRES_HOME}
 * names) when there is one, else from the binaries Slipway embeds, so a machine with only a JDK runs the tests too.
 * Every test asks it for a fresh database.
 */
public final class PostgresServer {

    private static LocalPostgres instance;

    private PostgresServer() {
    }

    public static synchronized LocalPostgres get() {
        if (instance == null) {
            String url = System.getenv("SLIPWAY_TEST_DB_URL");
            instance = url == null || url.isBlank() ? LocalPostgres.launch()
                    : LocalPostgres.existing(new DbConnection(url, envOr("SLIPWAY_TEST_DB_USER", "postgres"),
                            envOr("SLIPWAY_TEST_DB_PASSWORD", "")));
        }
        return instance;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
