package dev.slipway.http.page;

import dev.slipway.api.page.PageStatus.Phase;
import dev.slipway.api.page.PageStatus.Step;
import dev.slipway.api.page.PageStatus.StepState;
import dev.slipway.api.page.PageStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** An upgrade of "Acme CRM" from 1.1.0 to 2.0.1 in three database hops, at each moment the page can show. */
final class PageStatusFixtures {

    static final Instant STARTED = Instant.parse("2026-03-14T09:00:00Z");
    /** Four minutes into the upgrade, when every status below was last updated. */
    static final Instant NOW = STARTED.plus(Duration.ofMinutes(4));
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final int HOPS = 3;
    static final String PRODUCT = "Acme CRM";

    private static final List<String> LABELS = List.of(
            "Backing up the database",
            "Stopping Acme CRM 1.1.0",
            "Migrating database to 1.2.0 (hop 1 of 3)",
            "Migrating database to 1.3.0 (hop 2 of 3)",
            "Migrating database to 2.0.1 (hop 3 of 3)",
            "Starting Acme CRM 2.0.1");
    /** Index of the first hop in {@link #LABELS}. */
    private static final int FIRST_HOP = 2;

    private PageStatusFixtures() {
    }

    static PageStatus waiting(Long etaSeconds) {
        return status(Phase.WAITING, steps(0, null), etaSeconds, null);
    }

    /** Hop {@code hop} (1-based) of {@link #HOPS} is running; everything before it is done. */
    static PageStatus migrating(int hop, Long etaSeconds) {
        return status(Phase.IN_PROGRESS, steps(FIRST_HOP + hop - 1, StepState.RUNNING), etaSeconds, null);
    }

    static PageStatus failedAtHop(int hop, String message) {
        return status(Phase.FAILED, steps(FIRST_HOP + hop - 1, StepState.FAILED), null, message);
    }

    static PageStatus completed() {
        return status(Phase.COMPLETED, steps(LABELS.size(), null), null, null);
    }

    static String label(int index) {
        return LABELS.get(index);
    }

    static String hopLabel(int hop) {
        return LABELS.get(FIRST_HOP + hop - 1);
    }

    static int stepCount() {
        return LABELS.size();
    }

    static PageStatus status(Phase phase, List<Step> steps, Long etaSeconds, String message) {
        return new PageStatus(PRODUCT, "1.1.0", "2.0.1", phase, STARTED, NOW, steps, etaSeconds, message);
    }

    /** Steps before {@code current} are done, {@code current} has {@code currentState}, the rest wait. */
    private static List<Step> steps(int current, StepState currentState) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < LABELS.size(); i++) {
            Instant start = STARTED.plus(Duration.ofSeconds(30L * i));
            if (i < current) {
                steps.add(new Step("step-" + i, LABELS.get(i), StepState.DONE, start, start.plusSeconds(30)));
            } else if (i == current) {
                steps.add(new Step("step-" + i, LABELS.get(i), currentState, start, null));
            } else {
                steps.add(new Step("step-" + i, LABELS.get(i), StepState.WAITING, null, null));
            }
        }
        return steps;
    }
}
