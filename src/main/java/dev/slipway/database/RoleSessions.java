package dev.slipway.database;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sessions that roles hold on one database, from {@code pg_stat_activity}: what Quiesce waits for before a
 * migration, and ends with {@code pg_terminate_backend} when they outstay the drain timeout.
 */
public final class RoleSessions {

    private static final String OPEN = "SELECT usename, count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND usename = ANY(?) AND pid <> pg_backend_pid() GROUP BY usename";
    private static final String TERMINATE = "SELECT usename, count(*) FILTER (WHERE pg_terminate_backend(pid))"
            + " FROM pg_stat_activity WHERE datname = current_database() AND usename = ANY(?)"
            + " AND pid <> pg_backend_pid() GROUP BY usename";

    private final DbConnection database;

    /** @param database a connection allowed to see (and terminate) the roles' sessions, such as the admin's */
    public RoleSessions(DbConnection database) {
        this.database = database;
    }

    /** Open sessions per role (roles without sessions left out). */
    public Map<String, Integer> open(List<String> roles) {
        return countPerRole(OPEN, roles, "count the sessions of");
    }

    /** Ends every session of the roles; returns how many per role it ended. */
    public Map<String, Integer> terminate(List<String> roles) {
        return countPerRole(TERMINATE, roles, "terminate the sessions of");
    }

    private Map<String, Integer> countPerRole(String sql, List<String> roles, String action) {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection connection = database.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            Array names = connection.createArrayOf("text", roles.toArray());
            statement.setArray(1, names);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (rows.getInt(2) > 0) {
                        counts.put(rows.getString(1), rows.getInt(2));
                    }
                }
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, database, action + " " + String.join(", ", roles) + " on");
        }
        return counts;
    }

    /** "2 sessions of role shop_app, 1 session of role shop_jobs". */
    public static String describe(Map<String, Integer> sessionsPerRole) {
        return String.join(", ", sessionsPerRole.entrySet().stream().map(e -> e.getValue()
                + (e.getValue() == 1 ? " session" : " sessions") + " of role " + e.getKey()).toList());
    }
}
