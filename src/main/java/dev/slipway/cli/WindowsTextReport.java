package dev.slipway.cli;

import dev.slipway.core.KubeDuration;
import dev.slipway.core.window.EffectiveWindow;
import dev.slipway.core.window.MaintenanceSchedule;
import dev.slipway.core.window.UpgradeScope;
import dev.slipway.core.window.WindowEngine;
import dev.slipway.core.window.WindowEvaluation;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** What an admin reads: per instant, the verdict and the next three windows in local time and in UTC. */
final class WindowsTextReport {

    private static final int WINDOWS_SHOWN = 3;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE uuuu-MM-dd HH:mm", Locale.ROOT);

    private final MaintenanceSchedule schedule;
    private final WindowEngine engine;
    private final UpgradeScope scope;

    WindowsTextReport(MaintenanceSchedule schedule, WindowEngine engine, UpgradeScope scope) {
        this.schedule = schedule;
        this.engine = engine;
        this.scope = scope;
    }

    String render(List<WindowEvaluation> evaluations) {
        if (!schedule.configured()) {
            return "No maintenance configured: upgrades may start at any time.\n";
        }
        StringBuilder text = new StringBuilder();
        text.append("Maintenance windows in ").append(schedule.zone().getId())
                .append(", minimum remaining ").append(KubeDuration.format(schedule.minimumRemaining()))
                .append(", ").append(scope.name().toLowerCase(Locale.ROOT)).append(" upgrades\n");
        for (WindowEvaluation evaluation : evaluations) {
            text.append('\n').append("At ").append(evaluation.at()).append(": ").append(verdict(evaluation))
                    .append(" (").append(evaluation.reason()).append(")\n");
            if (evaluation.currentWindow() != null) {
                text.append("  Current window: ").append(window(evaluation.currentWindow()));
            }
            if (!evaluation.canStart() && evaluation.nextEligibleStart() != null) {
                text.append("  Next eligible start: ").append(evaluation.nextEligibleStart()).append('\n');
            }
            if (evaluation.latestStart() != null) {
                text.append("  Latest start: ").append(evaluation.latestStart()).append('\n');
            }
            List<EffectiveWindow> upcoming = engine.upcoming(evaluation.at(), scope, WINDOWS_SHOWN);
            text.append(upcoming.isEmpty() ? "  No window starts in the next 400 days.\n" : "  Next windows:\n");
            upcoming.forEach(next -> text.append("    ").append(window(next)));
        }
        return text.toString();
    }

    private static String verdict(WindowEvaluation evaluation) {
        if (evaluation.canStart()) {
            return "an upgrade may start now";
        }
        return evaluation.inWindow() ? "in a window, but too little of it remains" : "an upgrade may not start now";
    }

    private String window(EffectiveWindow window) {
        String line = local(window.startLocal()) + " – " + local(window.endLocal()) + " " + schedule.zone().getId()
                + "  (" + utc(window.start()) + " – " + utc(window.end()) + " UTC)  " + String.join(", ", window.rules())
                + '\n';
        return window.adjustment() == null ? line : line + "      note: " + window.adjustment() + '\n';
    }

    private static String local(LocalDateTime local) {
        return LOCAL.format(local);
    }

    private static String utc(Instant instant) {
        return LOCAL.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
