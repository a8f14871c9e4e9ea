package dev.slipway.cli;

import dev.slipway.core.upgrade.FirstInstall;
import dev.slipway.kubernetes.status.TimeWords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code slipway status} as text, in the manner of {@code oc adm upgrade}: one sentence saying where the application
 * stands and what to do, then current version, target and path, approval, progress, next window, last failure and
 * the conditions; or, for every ManagedUpgrade of a namespace, one table row each.
 */
final class StatusText {

    private static final String INDENT = "              ";

    private StatusText() {
    }

    static String render(StatusView view, Instant now) {
        List<String> lines = new ArrayList<>();
        lines.add(headline(view, now));
        lines.add("");
        field(lines, "Phase:", view.phase() == null ? "none reported yet" : view.phase());
        if (view.currentVersion() != null) {
            field(lines, "Current:", view.currentVersion() + (view.latestVersion() == null
                    || view.latestVersion().equals(view.currentVersion()) ? ""
                    : " (newest on the channel: " + view.latestVersion() + ")"));
        } else if (view.install()) {
            field(lines, "Current:", "none: never installed, the database is empty");
        }
        if (view.targetVersion() != null) {
            field(lines, "Target:", (view.install() ? "install " + view.targetVersion() + ", migrating through "
                    : view.targetVersion() + " in ") + view.hops().size() + (view.hops().size() == 1 ? " hop" : " hops")
                    + (view.install() && view.hops().size() > 1 ? " (started only at " + view.targetVersion() + ")" : ""));
            int number = 1;
            for (StatusView.Hop hop : view.hops()) {
                lines.add(String.format(Locale.ROOT, "%s  %d. %-10s %s%s", INDENT, number++, hop.version(),
                        reason(hop.reason()), hop.schemaVersion() == null ? "" : " (schema " + hop.schemaVersion() + ")"));
            }
        }
        field(lines, "Approval:", approval(view));
        if (view.paused()) {
            field(lines, "Paused:", "yes (spec.policy.paused): no step runs and no upgrade starts until "
                    + NextSteps.command("resume", view));
        }
        List<String> progress = progress(view, now);
        for (int i = 0; i < progress.size(); i++) {
            field(lines, i == 0 ? "Progress:" : "", progress.get(i));
        }
        field(lines, "Next window:", window(view, now));
        if (view.lastFailure() != null) {
            field(lines, "Last failure:", failure(view.lastFailure(), now));
        }
        if (view.statusBehindSpec()) {
            field(lines, "Note:", "the status is of generation " + view.observedGeneration() + " and the spec is at "
                    + view.generation() + ": the operator has not acted on the latest change yet");
        }
        if (!view.conditions().isEmpty()) {
            lines.add("Conditions:");
            int width = view.conditions().stream().mapToInt(c -> c.type().length()).max().orElse(0);
            for (StatusView.ConditionState condition : view.conditions()) {
                lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %-3s  %s", condition.type(),
                        "True".equals(condition.status()) ? "yes" : "no",
                        condition.message() == null || condition.message().isBlank() ? condition.reason()
                                : condition.message()));
            }
        }
        return String.join(System.lineSeparator(), lines);
    }

    /**
     * One row per ManagedUpgrade, columns as wide as their widest value; with {@code withNamespace} a NAMESPACE
     * column first, as {@code kubectl get -A} prints.
     */
    static String table(List<StatusView> views, Instant now, boolean withNamespace) {
        if (views.isEmpty()) {
            return "No ManagedUpgrades found.";
        }
        List<Function<StatusView, String>> columns = new ArrayList<>();
        List<String> header = new ArrayList<>();
        if (withNamespace) {
            columns.add(StatusView::namespace);
            header.add("NAMESPACE");
        }
        columns.addAll(List.of(StatusView::name,
                view -> view.install() ? FirstInstall.NOT_INSTALLED : orDash(view.currentVersion()),
                view -> orDash(view.targetVersion()),
                view -> orDash(view.phase()), view -> view.approval().manual() ? "manual" : "automatic",
                view -> nextWindowShort(view), view -> progressShort(view)));
        header.addAll(List.of("NAME", "VERSION", "TARGET", "PHASE", "APPROVAL", "NEXT WINDOW", "PROGRESS"));
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        views.forEach(view -> rows.add(columns.stream().map(column -> column.apply(view)).toList()));
        int[] widths = new int[columns.size()];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format(Locale.ROOT, "%-" + (widths[i] + 3) + "s",
                        row.get(i)));
            }
            lines.add(line.toString().stripTrailing());
        }
        return String.join(System.lineSeparator(), lines);
    }

    private static String headline(StatusView view, Instant now) {
        String who = view.qualifiedName();
        String phase = view.phase() == null ? "Unknown" : view.phase();
        StatusView.Progress progress = view.progress();
        return switch (phase) {
            case "Invalid" -> who + " has an invalid spec: " + conditionMessage(view, "InvalidSpec") + ".";
            case "UpToDate" -> who + " is up to date at " + view.currentVersion() + ".";
            case "Blocked" -> who + (view.currentVersion() == null ? " cannot be installed: "
                    : " cannot upgrade from " + view.currentVersion() + ": ") + conditionMessage(view, "UpdateAvailable")
                    + ".";
            case "Upgrading" -> progress == null ? who + " is upgrading to " + view.targetVersion() + "."
                    : FirstInstall.isInstall(progress.from())
                    ? who + " is installing " + progress.to() + ": " + step(progress) + "."
                    : who + " is upgrading " + progress.from() + " → " + progress.to() + ": " + step(progress) + ".";
            case "Failed" -> failed(view);
            case "Paused" -> view.upgradeInProgress() ? who + " is paused during its upgrade " + progress.from()
                    + " → " + progress.to() + ", before " + step(progress) + ": " + NextSteps.command("resume", view)
                    + " goes on." : planned(view, now);
            case "UpdateAvailable", "WaitingForApproval", "WaitingForWindow" -> planned(view, now);
            default -> who + ": nothing known yet (" + conditionMessage(view, "ReleasesRetrieved") + ").";
        };
    }

    private static String planned(StatusView view, Instant now) {
        return view.qualifiedName() + (view.install() ? " is not installed" : " is at " + view.currentVersion()) + "; "
                + NextSteps.plannedStart(view, now) + ".";
    }

    private static String failed(StatusView view) {
        StatusView.Progress progress = view.progress();
        String who = view.qualifiedName();
        if (progress == null || progress.result() == null) {
            return who + " failed: " + conditionMessage(view, "Progressing") + ".";
        }
        String retry = NextSteps.command("retry", view);
        return switch (progress.result()) {
            case "Failed" -> who + ": the upgrade to " + progress.to() + " stopped" + where(view.lastFailure())
                    + " and the application stays behind the maintenance page. Fix the cause, then " + retry + " (go on from the failed step) or "
                    + NextSteps.command("abandon", view) + " (traffic back, the database as it is).";
            case "RolledBack" -> who + ": the upgrade to " + progress.to() + " was rolled back and " + progress.from()
                    + " runs again; " + retry + " tries " + progress.to() + " again.";
            default -> who + ": the upgrade to " + progress.to() + " was abandoned; traffic is back on the application"
                    + " and the database was left as it was; " + retry + " tries " + progress.to() + " again.";
        };
    }

    /** {@code  at Migrate 2.0.0 (MigrationFailed)}, when the failure names its step. */
    private static String where(StatusView.Failure failure) {
        if (failure == null || failure.step() == null) {
            return "";
        }
        return " at " + failure.step() + (failure.reason() == null ? "" : " (" + failure.reason() + ")");
    }

    private static String approval(StatusView view) {
        StatusView.ApprovalState approval = view.approval();
        String pin = approval.pinnedVersion() == null ? ""
                : "; pinned to " + approval.pinnedVersion() + " (spec.policy.version)";
        if (!approval.manual()) {
            return "automatic" + pin;
        }
        String approved = approval.approvedVersion() == null ? "none" : approval.approvedVersion();
        if (view.targetVersion() == null) {
            return "manual (approved: " + approved + ")" + pin;
        }
        if (approval.targetApproved()) {
            return "manual, " + view.targetVersion() + " approved" + pin;
        }
        return "manual, waiting for " + view.targetVersion() + " to be approved (approved: " + approved + "): "
                + NextSteps.command("approve", view) + pin;
    }

    private static List<String> progress(StatusView view, Instant now) {
        StatusView.Progress progress = view.progress();
        if (progress == null || progress.step() == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        Instant since = TimeWords.instant(progress.stepStartedAt());
        lines.add(step(progress) + (since == null ? "" : ", since " + TimeWords.utc(since, now)));
        Instant started = TimeWords.instant(progress.startedAt());
        if (started != null) {
            lines.add("the upgrade " + progress.from() + " → " + progress.to() + " started "
                    + TimeWords.utc(started, now) + (progress.override() == null ? "" : ", " + progress.override()));
        }
        return lines;
    }

    private static String step(StatusView.Progress progress) {
        String label = progress.label() == null ? progress.step() : progress.label();
        return progress.index() == null ? label : "step " + progress.index() + " of " + progress.of() + ", " + label;
    }

    private static String window(StatusView view, Instant now) {
        StatusView.Window window = view.window();
        if (window == null) {
            return "not evaluated yet";
        }
        if ("NotConfigured".equals(window.reason())) {
            return "none configured: upgrades may start at any time";
        }
        Instant currentEnd = TimeWords.instant(window.currentWindowEnd());
        String open = currentEnd == null ? ""
                : "open now until " + TimeWords.inZone(currentEnd, NextSteps.zone(view), now) + "; ";
        String next = NextSteps.nextStart(view, now);
        if (Boolean.TRUE.equals(window.canStartNow())) {
            return open.isEmpty() ? "an upgrade may start now" : open + "an upgrade may start now";
        }
        return open + (next == null ? "none: no maintenance window opens again" : "an upgrade may start " + next);
    }

    private static String failure(StatusView.Failure failure, Instant now) {
        Instant at = TimeWords.instant(failure.at());
        String where = failure.step() == null ? "the upgrade " + failure.from() + " → " + failure.to()
                : failure.step() + " of the upgrade " + failure.from() + " → " + failure.to();
        return where + (failure.result() == null ? "" : " (" + failure.result() + ")")
                + (at == null ? "" : " at " + TimeWords.utc(at, now)) + ": "
                + (failure.reason() == null ? "" : failure.reason() + ": ")
                + (failure.message() == null ? "no message recorded" : failure.message());
    }

    private static String nextWindowShort(StatusView view) {
        if (view.window() == null) {
            return "-";
        }
        if ("NotConfigured".equals(view.window().reason())) {
            return "any time";
        }
        if (Boolean.TRUE.equals(view.window().canStartNow())) {
            return "open now";
        }
        Instant start = TimeWords.instant(view.window().nextEligibleStart());
        return start == null ? "none" : TimeWords.shortInZone(start, NextSteps.zone(view));
    }

    private static String progressShort(StatusView view) {
        StatusView.Progress progress = view.progress();
        if (progress == null || progress.step() == null) {
            return "-";
        }
        return progress.index() == null ? progress.step()
                : progress.index() + "/" + progress.of() + " " + progress.step();
    }

    private static String reason(String hopReason) {
        if (hopReason == null) {
            return "";
        }
        return switch (hopReason) {
            case "Target" -> "target";
            case "RequiredStop" -> "required stop";
            case "MinUpgradeFrom" -> "required by the next release's minUpgradeFrom";
            default -> hopReason;
        };
    }

    private static String conditionMessage(StatusView view, String type) {
        return view.conditions().stream().filter(c -> type.equals(c.type())).map(StatusView.ConditionState::message)
                .findFirst().orElse("the operator has not reported on it");
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    private static void field(List<String> lines, String label, String value) {
        lines.add(String.format(Locale.ROOT, "%-14s%s", label, value));
    }
}
