package dev.slipway.core.window;

import java.util.List;

/** A schedule plus what the admin should hear about it without it being an error (shown in status and the CLI). */
public record ParsedMaintenance(MaintenanceSchedule schedule, List<String> warnings) {

    public ParsedMaintenance {
        warnings = List.copyOf(warnings);
    }
}
