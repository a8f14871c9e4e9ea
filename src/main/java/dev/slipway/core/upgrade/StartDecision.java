package dev.slipway.core.upgrade;

/**
 * Whether a planned upgrade starts now and, if not, what it waits for. The order of the questions is the contract an
 * admin relies on: approval first (nothing else matters without it), then a pause, then the maintenance window, which
 * only {@code spec.actions.startNow} overrides.
 */
public final class StartDecision {

    /** What the reconciler does with a planned upgrade. */
    public enum Outcome {
        /** Manual approval, and {@code approvedVersion} does not name the planned target. */
        WaitForApproval,
        /** {@code spec.policy.paused}. */
        Paused,
        /** Outside a window in which this upgrade may start, and no start-now override. */
        WaitForWindow,
        /** Start now. */
        Start
    }

    /**
     * @param manualApproval    the policy asks for approval
     * @param targetApproved    {@code approvedVersion} names the planned target
     * @param paused            {@code spec.policy.paused}
     * @param windowAllowsStart the maintenance windows allow this upgrade to start now
     * @param startNowRequested a new {@code spec.actions.startNow} value is waiting to be acted on
     */
    public record Facts(boolean manualApproval, boolean targetApproved, boolean paused, boolean windowAllowsStart,
            boolean startNowRequested) {
    }

    /** The outcome, and whether starting uses the start-now override (and so must be recorded as one). */
    public record Decision(Outcome outcome, boolean overridesWindow) {
    }

    private StartDecision() {
    }

    public static Decision decide(Facts facts) {
        if (facts.manualApproval() && !facts.targetApproved()) {
            return new Decision(Outcome.WaitForApproval, false);
        }
        if (facts.paused()) {
            return new Decision(Outcome.Paused, false);
        }
        if (facts.windowAllowsStart()) {
            return new Decision(Outcome.Start, false);
        }
        return facts.startNowRequested() ? new Decision(Outcome.Start, true) : new Decision(Outcome.WaitForWindow, false);
    }
}
