package dev.slipway.cli;

import dev.slipway.core.upgrade.StartDecision;
import dev.slipway.kubernetes.status.TimeWords;
import java.time.Instant;
import java.time.ZoneId;

/**
 * What happens next to a ManagedUpgrade, in words, as the operator will decide it: the start of a planned upgrade
 * goes through the same {@link StartDecision} the reconciler asks (approval, pause, window, start-now), fed from the
 * spec and the window evaluation in status. The commands it names are this CLI's.
 */
final class NextSteps {

    private NextSteps() {
    }

    /** {@code slipway approve shop -n shop}. */
    static String command(String verb, StatusView view) {
        return "slipway " + verb + " " + view.name() + " -n " + view.namespace();
    }

    /** When the planned upgrade starts, or what it waits for; null when nothing is planned. */
    static String plannedStart(StatusView view, Instant now) {
        String target = view.targetVersion();
        if (target == null) {
            return null;
        }
        if (view.window() == null) {
            return "the operator decides when the upgrade to " + target + " starts at its next look";
        }
        boolean windowOpen = Boolean.TRUE.equals(view.window().canStartNow());
        StartDecision.Decision decision = StartDecision.decide(new StartDecision.Facts(view.approval().manual(),
                view.approval().targetApproved(), view.paused(), windowOpen, view.startNowPending()));
        String upgrade = (view.install() ? "the install of " : "the upgrade to ") + target;
        return switch (decision.outcome()) {
            case WaitForApproval -> upgrade + " waits for approval: " + command("approve", view);
            case Paused -> upgrade + " waits while spec.policy.paused is true: " + command("resume", view);
            case Start -> upgrade + " starts now, " + (decision.overridesWindow()
                    ? "outside the maintenance window (spec.actions.startNow, recorded as an override)"
                    : openWindow(view, now));
            case WaitForWindow -> upgrade + " starts " + whenWindowAllows(view, now);
        };
    }

    /** {@code at the next window, Sat 28 Nov 02:00 Europe/Berlin (…)}, or {@code right away} when a window is open. */
    static String whenWindowAllows(StatusView view, Instant now) {
        if (view.window() == null) {
            return "as the maintenance windows allow";
        }
        if (Boolean.TRUE.equals(view.window().canStartNow())) {
            return "right away (the maintenance windows allow it now)";
        }
        String start = nextStart(view, now);
        return start == null ? "only with " + command("start-now", view) + " (no maintenance window opens again)"
                : "at the next window, " + start;
    }

    /** The next instant an upgrade may start, in the schedule's zone; null when none. */
    static String nextStart(StatusView view, Instant now) {
        Instant start = view.window() == null ? null : TimeWords.instant(view.window().nextEligibleStart());
        return start == null ? null : TimeWords.inZone(start, zone(view), now);
    }

    static ZoneId zone(StatusView view) {
        return TimeWords.zone(view.window() == null ? null : view.window().timeZone());
    }

    private static String openWindow(StatusView view, Instant now) {
        Instant end = TimeWords.instant(view.window().currentWindowEnd());
        if ("NotConfigured".equals(view.window().reason()) || end == null) {
            return "no maintenance window is needed";
        }
        return "in the maintenance window open until " + TimeWords.inZone(end, zone(view), now);
    }
}
