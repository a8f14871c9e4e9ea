package dev.slipway.http.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.kubernetes.access.KubernetesUser;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

    private static final KubernetesUser ALICE = new KubernetesUser("alice", List.of());

    private final ConsoleTestClock clock = new ConsoleTestClock();
    private final ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofMinutes(15), Duration.ofHours(8));

    @Test
    void idsAreAtLeast128RandomBitsAndDistinct() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            ConsoleSessions.Session session = sessions.start(ALICE);
            assertThat(Base64.getUrlDecoder().decode(session.id())).hasSizeGreaterThanOrEqualTo(16);
            assertThat(session.csrfToken()).isNotEqualTo(session.id());
            ids.add(session.id());
        }
        assertThat(ids).hasSize(100);
    }

    @Test
    void aSessionIdleForTheIdleTimeEnds() {
        String id = sessions.start(ALICE).id();
        clock.advance(Duration.ofMinutes(14));
        assertThat(sessions.find(id)).map(ConsoleSessions.Session::user).contains(ALICE);
        clock.advance(Duration.ofMinutes(14));
        assertThat(sessions.find(id)).as("used 14 minutes ago").isPresent();
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.find(id)).isEmpty();
        assertThat(sessions.find(id)).as("stays ended").isEmpty();
    }

    @Test
    void aSessionInUseEndsAtTheAbsoluteTime() {
        String id = sessions.start(ALICE).id();
        for (int i = 0; i < 47; i++) {
            clock.advance(Duration.ofMinutes(10));
            assertThat(sessions.find(id)).as("after %d minutes", (i + 1) * 10).isPresent();
        }
        clock.advance(Duration.ofMinutes(10));
        assertThat(sessions.find(id)).as("after 8 hours").isEmpty();
    }

    @Test
    void peekingDoesNotKeepASessionAlive() {
        String id = sessions.start(ALICE).id();
        clock.advance(Duration.ofMinutes(10));
        assertThat(sessions.peek(id)).map(ConsoleSessions.Session::user).contains(ALICE);
        clock.advance(Duration.ofMinutes(5));
        assertThat(sessions.peek(id)).as("idle 15 minutes, peeked at in between").isEmpty();
        assertThat(sessions.find(id)).isEmpty();
        assertThat(sessions.peek(null)).isEmpty();
    }

    @Test
    void endingASessionEndsOnlyThatOne() {
        String ended = sessions.start(ALICE).id();
        String other = sessions.start(ALICE).id();
        sessions.end(ended);
        assertThat(sessions.find(ended)).isEmpty();
        assertThat(sessions.find(other)).isPresent();
        assertThat(sessions.find(null)).isEmpty();
    }
}
