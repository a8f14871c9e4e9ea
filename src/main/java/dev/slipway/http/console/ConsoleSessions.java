package dev.slipway.http.console;

import dev.slipway.kubernetes.access.KubernetesUser;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side console sessions: the bearer token is checked once at sign-in and then forgotten; the browser holds
 * only a random session id (256 bits from {@link SecureRandom}) in an HttpOnly cookie. A session ends after
 * {@code idle} without a request, after {@code absolute} whatever happens, or at logout; time comes from the Clock.
 */
final class ConsoleSessions {

    /** One signed-in user; {@code csrfToken} is sent back in a header with every state-changing request. */
    record Session(String id, KubernetesUser user, String csrfToken, Instant created, Instant lastUsed) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    ConsoleSessions(Clock clock, Duration idle, Duration absolute) {
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    Session start(KubernetesUser user) {
        Instant now = clock.instant();
        Session session = new Session(randomId(), user, randomId(), now, now);
        sessions.put(session.id(), session);
        return session;
    }

    /** The live session with this id, its idle time restarted; an expired one is removed and not returned. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session found = sessions.computeIfPresent(id, (key, session) -> expired(session, now) ? null
                : new Session(session.id(), session.user(), session.csrfToken(), session.created(), now));
        return Optional.ofNullable(found);
    }

    /** The live session with this id, its idle time left as it was: for the live view, which is not activity. */
    Optional<Session> peek(String id) {
        Session session = id == null ? null : sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (expired(session, clock.instant())) {
            sessions.remove(id, session);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(session.lastUsed().plus(idle)) || !now.isBefore(session.created().plus(absolute));
    }

    private static String randomId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
