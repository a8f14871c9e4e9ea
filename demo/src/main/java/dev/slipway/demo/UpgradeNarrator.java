package dev.slipway.demo;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.Phase;
import io.fabric8.kubernetes.api.model.Event;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Tells the upgrade as it happens, one line each: the phase when it changes, the operator's own Events (every step
 * it starts, with "hop k of n" on per-hop steps, and how the upgrade ends), and after each step the database
 * migrations it applied. Lines start with the time since the narrator was created.
 */
public final class UpgradeNarrator {

    /** Events already told another way (phase changes) or too chatty for the show (each step's end). */
    private static final Set<String> UNTOLD = Set.of("PhaseChanged", "StepCompleted");

    private final PrintWriter out;
    private final Clock clock;
    private final Instant start;
    private final Supplier<List<String>> appliedMigrations;
    private Phase phase;
    private int migrationsTold;

    /**
     * @param appliedMigrations the migrations in the database's history, oldest first; those present now are not
     *                          told, later ones are told after the step that applied them
     */
    public UpgradeNarrator(PrintWriter out, Clock clock, Supplier<List<String>> appliedMigrations) {
        this.out = out;
        this.clock = clock;
        this.start = clock.instant();
        this.appliedMigrations = appliedMigrations;
        this.migrationsTold = appliedMigrations.get().size();
    }

    public synchronized void status(ManagedUpgrade resource) {
        if (resource.getStatus() == null || resource.getStatus().getPhase() == null
                || resource.getStatus().getPhase() == phase) {
            return;
        }
        phase = resource.getStatus().getPhase();
        String target = resource.getStatus().getTargetVersion();
        tell("phase " + phase + (target == null || phase == Phase.UpToDate ? "" : " (target " + target + ")"));
    }

    public synchronized void event(Event event) {
        if ("StepCompleted".equals(event.getReason())) {
            tellNewMigrations();
        }
        if (UNTOLD.contains(event.getReason())) {
            return;
        }
        String text = "StepStarted".equals(event.getReason()) ? "  step: " + event.getMessage()
                : event.getReason() + ": " + event.getMessage();
        tell("Warning".equals(event.getType()) ? "!! " + text : text);
    }

    private void tellNewMigrations() {
        List<String> applied = appliedMigrations.get();
        for (String migration : applied.subList(Math.min(migrationsTold, applied.size()), applied.size())) {
            tell("    migration applied: " + migration);
        }
        migrationsTold = Math.max(migrationsTold, applied.size());
    }

    private void tell(String line) {
        Duration elapsed = Duration.between(start, clock.instant());
        out.println(String.format(Locale.ROOT, "[%5.1fs] %s", elapsed.toMillis() / 1000.0, line));
        out.flush();
    }
}
