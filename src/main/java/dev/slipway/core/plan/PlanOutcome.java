package dev.slipway.core.plan;

import java.util.List;
import org.semver4j.Semver;

/** What the planner decided. */
public sealed interface PlanOutcome {

    /**
     * A decision: either an upgrade path ({@code target} set, hops in order) or nothing to do ({@code target} null).
     *
     * @param current          the installed version, or null when nothing is installed (a first install)
     * @param availableUpdates usable newer releases the policy allows, ascending
     * @param latest           the newest usable release on the channel, whatever the policy, or null
     */
    record Planned(Semver current, Semver target, List<Hop> steps, List<Semver> availableUpdates, Semver latest)
            implements PlanOutcome {

        public Planned {
            steps = List.copyOf(steps);
            availableUpdates = List.copyOf(availableUpdates);
        }

        public boolean hasUpdate() {
            return target != null;
        }
    }

    /** No acceptable plan; {@code message} names the blocking line, constraint or version. */
    record Failed(PlanErrorCode code, String message) implements PlanOutcome {
    }
}
