package dev.slipway.http.page;

import dev.slipway.api.page.PageStatus.Step;
import dev.slipway.api.page.PageStatus.StepState;
import dev.slipway.api.page.PageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The words and numbers the page shows, derived only from a {@link PageStatus} and the current time, so the page
 * can never show anything the status does not hold. The template and the live updates both render this.
 *
 * @param phase   a CSS token: waiting, in-progress, failed, completed or unknown
 * @param summary one sentence for screen readers, announced when it changes
 */
record PageView(String phase, String title, String product, String badge, String headline, String versionsVerb,
        String fromVersion, String toVersion, String lead, String message, boolean showProgress, int percent,
        String progressText, List<StepView> steps, List<Fact> facts, boolean completed, String summary,
        long retryAfterSeconds) {

    static final long DEFAULT_RETRY_AFTER_SECONDS = 60;
    static final long MIN_RETRY_AFTER_SECONDS = 5;
    private static final String UNNAMED_PRODUCT = "The application";

    /** @param state a CSS token: done, running, waiting or failed */
    record StepView(String label, String state, String stateText) {
    }

    record Fact(String label, String value) {
    }

    static PageView of(Optional<PageStatus> status, Instant now) {
        return status.map(known -> of(known, now)).orElseGet(PageView::unknown);
    }

    private static PageView unknown() {
        return new PageView("unknown", "Maintenance in progress", null, "Temporarily unavailable",
                "Maintenance in progress",
                null, null, null,
                "This application is being updated and will be back shortly.",
                null, false, 0, null, List.of(), List.of(), false, "Maintenance in progress.",
                DEFAULT_RETRY_AFTER_SECONDS);
    }

    private static PageView of(PageStatus status, Instant now) {
        String product = blankToNull(status.product());
        String name = product == null ? UNNAMED_PRODUCT : product;
        List<StepView> steps = status.steps().stream().map(step -> stepView(step, now)).toList();
        Progress progress = Progress.of(status);
        Optional<Duration> remaining = remaining(status, now);
        String title = (product == null ? "" : product + " · ") + switch (status.phase()) {
            case WAITING -> "Scheduled maintenance";
            case IN_PROGRESS -> "Upgrade in progress";
            case FAILED -> "Upgrade stopped";
            case COMPLETED -> "Upgrade complete";
            case RESTORED -> "Back online";
        };
        return switch (status.phase()) {
            case WAITING -> new PageView("waiting", title, product, "Scheduled maintenance",
                    name + " will be upgraded shortly", "Upgrade from", status.fromVersion(), status.toVersion(),
                    "The upgrade is about to start. " + name + " is unavailable until it finishes.",
                    status.message(), true, progress.percent(), progress.text(), steps,
                    remaining.map(eta -> List.of(new Fact("Expected duration", "About " + approximately(eta))))
                            .orElse(List.of()),
                    false, name + " will be upgraded shortly.", retryAfter(remaining));
            case IN_PROGRESS -> new PageView("in-progress", title, product, "Upgrade in progress",
                    name + " is being upgraded", "Upgrading from", status.fromVersion(), status.toVersion(),
                    "It is unavailable for now and will be back as soon as the upgrade is done.",
                    status.message(), true, progress.percent(), progress.text(), steps,
                    inProgressFacts(status, now, remaining), false,
                    name + " is being upgraded" + (progress.text() == null ? "."
                            : ": " + progress.text() + ", " + progress.percent() + "% complete.")
                            + progress.runningLabel().map(label -> " Now: " + label + ".").orElse(""),
                    retryAfter(remaining));
            case FAILED -> new PageView("failed", title, product, "Upgrade stopped",
                    "The upgrade could not be completed", "Upgrade from", status.fromVersion(), status.toVersion(),
                    name + " remains unavailable for now. The administrators can see what went wrong and will "
                            + "take it from here. Please check back later.",
                    status.message(), true, progress.percent(), progress.text(), steps, List.of(), false,
                    "The upgrade of " + inSentence(name) + " could not be completed. "
                            + name + " remains unavailable for now.",
                    DEFAULT_RETRY_AFTER_SECONDS);
            case RESTORED -> new PageView("restored", title, product, "Back online", name + " is available again",
                    "Upgrade from", status.fromVersion(), status.toVersion(),
                    "The upgrade was called off and " + inSentence(name) + " is serving again. You will be taken "
                            + "back in a moment.",
                    status.message(), false, progress.percent(), progress.text(), steps, List.of(), true,
                    "The upgrade was called off. " + name + " is available again.", MIN_RETRY_AFTER_SECONDS);
            case COMPLETED -> new PageView("completed", title, product, "Upgrade complete", name + " is ready",
                    "Upgraded from", status.fromVersion(), status.toVersion(),
                    "The upgrade has finished. You will be taken back in a moment.",
                    status.message(), true, 100, progress.text(), steps, completedFacts(status), true,
                    "Upgrade complete. " + name + " is ready.", MIN_RETRY_AFTER_SECONDS);
        };
    }

    private static String label(Step step) {
        return Optional.ofNullable(blankToNull(step.label())).or(() -> Optional.ofNullable(blankToNull(step.name())))
                .orElse("Upgrade step");
    }

    private static StepView stepView(Step step, Instant now) {
        String label = label(step);
        return switch (step.state()) {
            case DONE -> new StepView(label, "done", "Done");
            // Without past upgrades there is no ETA; the time a running step has taken so far shows it is alive.
            case RUNNING -> new StepView(label, "running", step.startedAt() == null || now.isBefore(step.startedAt())
                    ? "In progress" : "In progress · " + approximately(Duration.between(step.startedAt(), now)) + " so far");
            case WAITING -> new StepView(label, "waiting", "Waiting");
            case FAILED -> new StepView(label, "failed", "Failed");
        };
    }

    /** How far the plan has come; "step k of n" counts the step being worked on. */
    private record Progress(int percent, String text, Optional<String> runningLabel) {
        static Progress of(PageStatus status) {
            List<Step> steps = status.steps();
            int total = steps.size();
            long done = steps.stream().filter(step -> step.state() == StepState.DONE).count();
            int percent = total == 0 ? 0 : (int) (done * 100 / total);
            int current = currentIndex(steps);
            Optional<String> runningLabel = steps.stream().filter(step -> step.state() == StepState.RUNNING)
                    .findFirst().map(PageView::label);
            if (total == 0) {
                return new Progress(percent, null, runningLabel);
            }
            String text = switch (status.phase()) {
                case WAITING -> total + (total == 1 ? " step" : " steps") + " planned";
                case IN_PROGRESS -> "Step " + (current + 1) + " of " + total;
                case FAILED -> "Stopped at step " + (current + 1) + " of " + total;
                case COMPLETED -> "All " + total + (total == 1 ? " step" : " steps") + " done";
                case RESTORED -> "Called off at step " + (current + 1) + " of " + total;
            };
            return new Progress(percent, text, runningLabel);
        }

        private static int currentIndex(List<Step> steps) {
            for (int i = 0; i < steps.size(); i++) {
                StepState state = steps.get(i).state();
                if (state == StepState.RUNNING || state == StepState.FAILED) {
                    return i;
                }
            }
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).state() == StepState.WAITING) {
                    return i;
                }
            }
            return steps.size() - 1;
        }
    }

    private static List<Fact> inProgressFacts(PageStatus status, Instant now, Optional<Duration> remaining) {
        List<Fact> facts = new ArrayList<>();
        if (status.startedAt() != null) {
            facts.add(new Fact("Elapsed", approximately(nonNegative(Duration.between(status.startedAt(), now)))));
        }
        remaining.ifPresent(eta -> facts.add(new Fact("Time remaining",
                eta.isZero() ? "Taking a little longer than usual" : "About " + approximately(eta))));
        return facts;
    }

    private static List<Fact> completedFacts(PageStatus status) {
        if (status.startedAt() == null || status.updatedAt() == null) {
            return List.of();
        }
        return List.of(new Fact("Took", approximately(nonNegative(
                Duration.between(status.startedAt(), status.updatedAt())))));
    }

    /** The estimate counts from the status's last update; zero once that time has passed. */
    private static Optional<Duration> remaining(PageStatus status, Instant now) {
        if (status.etaSeconds() == null || status.etaSeconds() < 0) {
            return Optional.empty();
        }
        Instant from = status.updatedAt() == null ? now : status.updatedAt();
        return Optional.of(nonNegative(Duration.ofSeconds(status.etaSeconds()).minus(Duration.between(from, now))));
    }

    private static long retryAfter(Optional<Duration> remaining) {
        return remaining.filter(eta -> !eta.isZero())
                .map(eta -> Math.max(MIN_RETRY_AFTER_SECONDS, eta.toSeconds()))
                .orElse(DEFAULT_RETRY_AFTER_SECONDS);
    }

    /** Coarse on purpose: estimates are not precise, and a calm page does not tick seconds. */
    static String approximately(Duration duration) {
        long minutes = Math.round(duration.toSeconds() / 60.0);
        if (minutes < 1) {
            return "less than a minute";
        }
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        long rest = minutes % 60;
        return hours + " h" + (rest == 0 ? "" : " " + rest + " min");
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static String inSentence(String name) {
        return name.equals(UNNAMED_PRODUCT) ? "the application" : name;
    }
}
