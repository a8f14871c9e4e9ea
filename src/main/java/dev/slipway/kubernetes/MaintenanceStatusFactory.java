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
        return new MaintenanceStatus(evaluation.at().toString(), evaluation.inWindow(), evaluation.canStart(),
                evaluation.reason().name(), window(evaluation.currentWindow()), window(evaluation.nextWindow()),
                evaluation.nextEligibleStart() == null ? null : evaluation.nextEligibleStart().toString(),
                WindowEngine.tzdbVersion(), warnings.isEmpty() ? null : warnings);
    }

    private static WindowStatus window(EffectiveWindow window) {
        if (window == null) {
            return null;
        }
        return new WindowStatus(window.start().toString(), window.end().toString(), window.startLocal().toString(),
                window.endLocal().toString(), String.join(", ", window.rules()), window.adjustment());
    }
}
