package dev.slipway.database;

import java.sql.SQLException;

/** Turns JDBC errors into short messages that are safe to show: one line, no SQL text, no connection details. */
final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /** "cannot connect to ..." for connection problems, "cannot {action} ..." otherwise. */
    static DatabaseException translate(SQLException e, DbConnection database, String action) {
        if (isConnectionProblem(e)) {
            return new DatabaseException(DatabaseException.Kind.CONNECTION_FAILED, "cannot use the database at "
                    + database.redactedUrl() + (database.username() == null ? "" : " as " + database.username()) + ": "
                    + firstLine(e), e);
        }
        return new DatabaseException(DatabaseException.Kind.QUERY_FAILED, "cannot " + action + " "
                + database.redactedUrl() + ": " + firstLine(e), e);
    }

    /** PostgreSQL's primary message, without the "Detail:", "Where:" and "Position:" lines pgjdbc appends. */
    static String firstLine(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message).replaceFirst("^ERROR: ", "").strip();
    }

    /** SQL state class 08 (connection exception) or 57P (operator intervention: terminated, shutting down). */
    static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    /** Lost, refused, or not allowed in: authentication (28), unknown database (3D000) also count. */
    static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return isConnectionLost(e) || state != null && (state.startsWith("28") || state.equals("3D000"));
    }
}
