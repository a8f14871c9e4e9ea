package dev.slipway.http.console;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.DatabaseStatus;
import dev.slipway.api.v1alpha1.status.DriftFindingStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.MaintenanceStatus;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.WindowStatus;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.core.window.Exclusion;
import dev.slipway.core.window.MaintenanceSchedule;
import dev.slipway.http.api.ManagedUpgradeView;
import dev.slipway.kubernetes.ReleaseChoices;
import dev.slipway.kubernetes.spec.SpecReader;
import dev.slipway.kubernetes.status.TimeWords;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the console shows of one ManagedUpgrade, in words an admin reads without the CRD reference: built from the
 * status the operator writes (plan, maintenance, database, history), the spec's maintenance zone and the release
 * choices the core planner gives ({@link ReleaseChoices}). Times are shown in the zone of {@code spec.maintenance}.
 */
record ConsoleView(
        ManagedUpgradeView view,
        String summary,
        String approval,
        String pinnedVersion,
        String approvedVersion,
        boolean paused,
        String gitOps,
        Map<String, Boolean> allowed,
        List<ConditionLine> conditions,
        List<HopLine> plan,
        Choices choices,
        Schedule schedule,
        String stepStarted,
        Database database,
        List<HistoryLine> history) {

    /** The last verification of the database against the release's schema; {@code verified} in the admin's zone. */
    record Database(String verified, String schemaVersion, List<DriftFindingStatus> findings, Integer findingCount,
            Boolean blocking) {
    }

    record ConditionLine(String type, String status, String reason, String message) {
    }

    /** A hop of a path: why the path goes through it and whether the application is down during it. */
    record HopLine(String version, String why, String downtime) {
    }

    record Choice(String version, String notesUrl, List<HopLine> hops, String planHash) {
    }

    record Unusable(String version, String notesUrl, String why, String usableIn) {
    }

    record Choices(List<Choice> reachable, List<Unusable> unusable, String problem) {
    }

    /** The windows as the admin reads them: in {@code zone}. */
    record Schedule(String zone, String status, String currentWindow, String nextWindow, List<String> freezes,
            List<String> warnings) {
    }

    record HistoryLine(String from, String to, String result, String started, String took, String requestedBy,
            String message, List<StepLine> steps) {
    }

    record StepLine(String name, String took) {
    }

    static ConsoleView of(ManagedUpgrade resource, String approval, String gitOps, Map<String, Boolean> allowed,
            ReleaseChoices.Choices choices, Instant now) {
        ManagedUpgradeStatus status = resource.getStatus() == null ? new ManagedUpgradeStatus() : resource.getStatus();
        var policy = resource.getSpec().getPolicy();
        MaintenanceSchedule schedule = schedule(resource);
        ZoneId zone = schedule.zone();
        return new ConsoleView(ManagedUpgradeView.of(resource), summary(status), approval,
                policy == null ? null : policy.getVersion(), policy == null ? null : policy.getApprovedVersion(),
                policy != null && Boolean.TRUE.equals(policy.getPaused()), gitOps, allowed,
                map(status.getConditions(), c -> new ConditionLine(c.getType(), c.getStatus(), c.getReason(),
                        c.getMessage())),
                status.getPlan() == null ? List.of() : map(status.getPlan().hops(), ConsoleView::hop),
                choices(choices, now), schedule(status.getMaintenance(), schedule, zone, now),
                status.getUpgrade() == null || status.getUpgrade().getStepStartedAt() == null ? null
                        : when(status.getUpgrade().getStepStartedAt(), zone),
                database(status.getDatabase(), zone), map(status.getHistory(), entry -> history(entry, zone)));
    }

    private static Database database(DatabaseStatus database, ZoneId zone) {
        return database == null ? null : new Database(database.verifiedAt() == null ? null
                : when(database.verifiedAt(), zone), database.schemaVersion(), database.findings() == null ? List.of()
                : database.findings(), database.findingCount(), database.blocking());
    }

    /** The phase in plain words. */
    static String summary(ManagedUpgradeStatus status) {
        String current = status.getCurrentVersion() == null ? "an unknown version" : status.getCurrentVersion();
        String target = status.getTargetVersion();
        Phase phase = status.getPhase() == null ? Phase.Unknown : status.getPhase();
        return switch (phase) {
            case Invalid -> "The spec cannot be acted on (see the InvalidSpec condition).";
            case Unknown -> "Slipway does not know yet which version runs or which releases exist.";
            case UpToDate -> "Running " + current + ", the newest release the policy allows.";
            case UpdateAvailable -> "Running " + current + "; " + target + " is planned and may start.";
            case Blocked -> "Running " + current + "; no newer release can be reached (see UpdateAvailable).";
            case WaitingForApproval -> "Running " + current + "; " + target + " is planned and waits for approval.";
            case WaitingForWindow -> "Running " + current + "; " + target
                    + " is approved and waits for a maintenance window.";
            case Upgrading -> "Upgrading from " + current + " to " + target + ".";
            case Paused -> "Running " + current + "; upgrades are paused.";
            case Failed -> "The upgrade failed after a migration: the application stays behind the maintenance page"
                    + " until you retry or abandon.";
        };
    }

    static HopLine hop(HopStatus hop) {
        String why = switch (hop.reason()) {
            case Target -> "the version chosen";
            case RequiredStop -> "a required stop: the vendor requires every upgrade to pass through " + hop.version();
            case MinUpgradeFrom -> "the next release can only be installed over " + hop.version() + " or later";
        };
        String downtime = hop.mode().downtime() ? "downtime: behind the maintenance page while it migrates"
                : "no downtime: rolling update (expand, roll out, soak, contract)";
        return new HopLine(hop.version(), why, downtime);
    }

    private static Choices choices(ReleaseChoices.Choices choices, Instant now) {
        return new Choices(map(choices.reachable(), choice -> new Choice(choice.version(), text(choice.notesUrl()),
                map(choice.hops(), ConsoleView::hop), choice.planHash())),
                map(choices.unreachable(), release -> new Unusable(release.version(), text(release.notesUrl()),
                        release.why(), release.usableAt() == null ? null
                                : TimeWords.duration(Duration.between(now, release.usableAt())))),
                choices.problem());
    }

    private static MaintenanceSchedule schedule(ManagedUpgrade resource) {
        try {
            return SpecReader.read(resource.getSpec()).maintenance().schedule();
        } catch (InvalidSpecException e) {
            return MaintenanceSchedule.notConfigured();
        }
    }

    private static Schedule schedule(MaintenanceStatus maintenance, MaintenanceSchedule schedule, ZoneId zone,
            Instant now) {
        if (!schedule.configured()) {
            return new Schedule(zone.getId(), "No maintenance windows: an approved upgrade starts at once.", null, null,
                    List.of(), List.of());
        }
        List<String> freezes = schedule.exclusions().stream().filter(freeze -> freeze.end().isAfter(now))
                .map(freeze -> freeze(freeze, zone)).toList();
        if (maintenance == null) {
            return new Schedule(zone.getId(), "Not evaluated yet.", null, null, freezes, List.of());
        }
        String state = Boolean.TRUE.equals(maintenance.canStartNow()) ? "An upgrade may start now."
                : "An upgrade may not start now (" + maintenance.reason() + ")"
                        + (maintenance.nextEligibleStart() == null ? "."
                                : "; the earliest start is " + when(maintenance.nextEligibleStart(), zone) + ".");
        return new Schedule(zone.getId(), state, window(maintenance.currentWindow(), zone),
                window(maintenance.nextWindow(), zone), freezes,
                maintenance.warnings() == null ? List.of() : maintenance.warnings());
    }

    private static String freeze(Exclusion freeze, ZoneId zone) {
        return (freeze.name() == null ? "Freeze" : freeze.name()) + ": " + TimeWords.shortInZone(freeze.start(), zone)
                + " to " + TimeWords.shortInZone(freeze.end(), zone) + " (" + switch (freeze.scope()) {
                    case ALL -> "no upgrade";
                    case MINOR_AND_MAJOR -> "no minor or major upgrade";
                    case MAJOR -> "no major upgrade";
                } + " may start)";
    }

    private static String window(WindowStatus window, ZoneId zone) {
        return window == null ? null : when(window.start(), zone) + " to " + when(window.end(), zone);
    }

    private static String when(String instant, ZoneId zone) {
        Instant at = TimeWords.instant(instant);
        return at == null ? instant : TimeWords.shortInZone(at, zone);
    }

    private static HistoryLine history(HistoryEntry entry, ZoneId zone) {
        return new HistoryLine(entry.from(), entry.to(), entry.result() == null ? null : entry.result().name(),
                entry.startedAt() == null ? null : when(entry.startedAt(), zone),
                took(entry.startedAt(), entry.finishedAt()), entry.requestedBy(), entry.message(),
                map(entry.steps(), step -> new StepLine(step.name(), took(step))));
    }

    private static String took(StepRecord step) {
        return took(step.startedAt(), step.finishedAt());
    }

    private static String took(String from, String to) {
        Instant start = TimeWords.instant(from);
        Instant end = TimeWords.instant(to);
        return start == null || end == null ? null : TimeWords.duration(Duration.between(start, end));
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static <S, T> List<T> map(List<S> items, Function<S, T> line) {
        return items == null ? List.of() : items.stream().map(line).toList();
    }
}
