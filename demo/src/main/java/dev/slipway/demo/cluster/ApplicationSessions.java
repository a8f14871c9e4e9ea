package dev.slipway.demo.cluster;

import dev.slipway.database.DbConnection;
import io.fabric8.kubernetes.api.model.Pod;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The sample application's database use: every running Pod it applies to holds one real PostgreSQL session, opened as
 * the application's role with {@code application_name} set to the Pod's name, and closes it only when the Pod has
 * stopped (its termination grace period is over, or it was removed), the way a web server drains its connection
 * pool on SIGTERM and exits at the end of the grace period.
 */
public final class ApplicationSessions implements PodHook, AutoCloseable {

    private final DbConnection applicationRole;
    private final Predicate<Pod> runsTheApplication;
    private final Map<String, Connection> sessionsByPodUid = new ConcurrentHashMap<>();
    private final Map<String, String> podNamesByUid = new ConcurrentHashMap<>();
    private final Map<String, Session> sessionsByPodName = new ConcurrentHashMap<>();

    /**
     * One Pod's session, with times by the database's own clock (the one Flyway's {@code installed_on} uses).
     *
     * @param closed when the Pod's stopping closed it; null while open, or when something else ended it first
     *        (pg_terminate_backend)
     */
    public record Session(String pod, Instant opened, Instant closed) {
    }

    /**
     * @param applicationRole the role the application logs in as
     * @param runsTheApplication which Pods run the application (for example {@link #labelled})
     */
    public ApplicationSessions(DbConnection applicationRole, Predicate<Pod> runsTheApplication) {
        this.applicationRole = applicationRole;
        this.runsTheApplication = runsTheApplication;
    }

    /** Pods in {@code namespace} carrying the label {@code key=value}. */
    public static Predicate<Pod> labelled(String namespace, String key, String value) {
        return pod -> namespace.equals(pod.getMetadata().getNamespace()) && pod.getMetadata().getLabels() != null
                && value.equals(pod.getMetadata().getLabels().get(key));
    }

    @Override
    public void started(Pod pod) {
        if (!runsTheApplication.test(pod)) {
            return;
        }
        try {
            Connection session = applicationRole.open();
            // pgJDBC sends this as SET application_name, which pg_stat_activity shows
            session.setClientInfo("ApplicationName", pod.getMetadata().getName());
            sessionsByPodUid.put(pod.getMetadata().getUid(), session);
            sessionsByPodName.put(pod.getMetadata().getName(), new Session(pod.getMetadata().getName(),
                    lastMoment(session).orElseThrow(() -> new SQLException("session lost at once")), null));
            podNamesByUid.put(pod.getMetadata().getUid(), pod.getMetadata().getName());
        } catch (SQLException e) {
            // A real application would crash-loop; here the Pod simply holds no session, which tests can see.
            System.err.println("simulated application in pod " + pod.getMetadata().getName()
                    + " cannot reach its database: " + e.getMessage());
        }
    }

    @Override
    public void stopped(Pod pod) {
        podNamesByUid.remove(pod.getMetadata().getUid());
        Connection session = sessionsByPodUid.remove(pod.getMetadata().getUid());
        if (session != null) {
            lastMoment(session).ifPresent(end -> sessionsByPodName.computeIfPresent(pod.getMetadata().getName(),
                    (name, open) -> new Session(name, open.opened(), end)));
        }
        closeQuietly(session);
    }

    /** Every session the application opened, open or closed, for comparing with a migration's timeline. */
    public List<Session> sessions() {
        return List.copyOf(sessionsByPodName.values());
    }

    /** The database's clock, read on the session; empty when the session is already gone; empty when the session is already gone. */
    private static Optional<Instant> lastMoment(Connection session) {
        try (Statement statement = session.createStatement();
                ResultSet now = statement.executeQuery("SELECT clock_timestamp()")) {
            now.next();
            return Optional.of(now.getTimestamp(1).toInstant());
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** Names of the Pods that hold a session now. */
    public Set<String> podsWithSessions() {
        return new TreeSet<>(podNamesByUid.values());
    }

    @Override
    public void close() {
        sessionsByPodUid.values().forEach(ApplicationSessions::closeQuietly);
        sessionsByPodUid.clear();
        podNamesByUid.clear();
    }

    private static void closeQuietly(Connection session) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (SQLException e) {
            // the session is gone either way (a test may have terminated it with pg_terminate_backend)
        }
    }
}
