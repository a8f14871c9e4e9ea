package dev.slipway.database;

import dev.slipway.core.schema.DriftFinding;
import dev.slipway.core.schema.Severity;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies the statements of {@code Fixable} findings, and nothing else: each statement in its own transaction, so one
 * that fails (say, a unique index over duplicate rows) is rolled back alone and the others still restore what they
 * can. Blocking and Warning findings are never touched; Fixable statements never drop anything (DriftFinding
 * guarantees it).
 */
public final class DriftFixer {

    /** What happened to one statement; {@code error} is PostgreSQL's one-line message when it failed. */
    public record AppliedStatement(String object, String statement, boolean applied, String error) {
    }

    private DriftFixer() {
    }

    /** The statements {@link #apply} would run, in order. */
    public static List<AppliedStatement> plan(List<DriftFinding> findings) {
        List<AppliedStatement> planned = new ArrayList<>();
        for (DriftFinding finding : findings) {
            if (finding.severity() == Severity.FIXABLE) {
                finding.statements().forEach(statement -> planned.add(new AppliedStatement(finding.object(), statement,
                        false, null)));
            }
        }
        return planned;
    }

    /** As {@link #apply(Connection, List, boolean, Consumer)} on a session of its own. */
    public static List<AppliedStatement> apply(DbConnection database, List<DriftFinding> findings, boolean dryRun,
            Consumer<AppliedStatement> beforeEach) {
        try (Connection connection = database.open()) {
            return apply(connection, findings, dryRun, beforeEach);
        } catch (SQLException e) {
            throw DatabaseErrors.translate(e, database, "apply drift fixes to");
        }
    }

    /**
     * Runs the Fixable statements; {@code beforeEach} sees each one before it runs (the CLI prints it). With
     * {@code dryRun} nothing runs and the planned statements come back unapplied.
     */
    public static List<AppliedStatement> apply(Connection connection, List<DriftFinding> findings, boolean dryRun,
            Consumer<AppliedStatement> beforeEach) throws SQLException {
        List<AppliedStatement> planned = plan(findings);
        planned.forEach(beforeEach);
        if (dryRun) {
            return planned;
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            List<AppliedStatement> results = new ArrayList<>();
            for (AppliedStatement step : planned) {
                results.add(applyOne(connection, step));
            }
            return results;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static AppliedStatement applyOne(Connection connection, AppliedStatement step) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(step.statement());
            connection.commit();
            return new AppliedStatement(step.object(), step.statement(), true, null);
        } catch (SQLException e) {
            if (DatabaseErrors.isConnectionLost(e)) {
                throw e;
            }
            connection.rollback();
            return new AppliedStatement(step.object(), step.statement(), false, DatabaseErrors.firstLine(e));
        }
    }
}
