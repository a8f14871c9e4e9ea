package dev.slipway.kubernetes;

import dev.slipway.api.v1alpha1.status.MaintenanceStatus;
import dev.slipway.api.v1alpha1.status.WindowStatus;
import dev.slipway.core.window.EffectiveWindow;
import dev.slipway.core.window.WindowEngine;
import dev.slipway.core.window.WindowEvaluation;
import java.util.List;

/** {@code status.maintenance} from a window evaluation. */
final class MaintenanceStatusFactory {

    private MaintenanceStatusFactory() {
    }

    static MaintenanceStatus from(WindowEvaluation evaluation, WindowEngine engine, List<String> warnings) {
        MaintenanceStatus status = new MaintenanceStatus();
        status.setEvaluatedAt(evaluation.at().toString());
        status.setInWindow(evaluation.inWindow());
        status.setCanStartNow(evaluation.canStart());
        status.setReason(evaluation.reason().name());
        status.setCurrentWindow(window(evaluation.currentWindow()));
        status.setNextWindow(window(evaluation.nextWindow()));
        status.setNextEligibleStart(evaluation.nextEligibleStart() == null ? null : evaluation.nextEligibleStart().toString());
        status.setTzdbVersion(WindowEngine.tzdbVersion());
        status.setWarnings(warnings.isEmpty() ? null : warnings);
        return status;
    }

    private static WindowStatus window(EffectiveWindow window) {
        if (window == null) {
            return null;
        }
        return new WindowStatus(window.start().toString(), window.end().toString(), window.startLocal().toString(),
                window.endLocal().toString(), String.join(", ", window.rules()), window.adjustment());
    }
}
