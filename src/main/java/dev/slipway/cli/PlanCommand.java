package dev.slipway.cli;

import dev.slipway.core.InvalidSpecException;
import dev.slipway.core.KubeDuration;
import dev.slipway.core.window.UpgradeScope;
import dev.slipway.core.plan.Hop;
import dev.slipway.core.plan.PlanNotes;
import dev.slipway.core.plan.PlanOutcome;
import dev.slipway.core.plan.UpgradePlanner;
import dev.slipway.core.plan.UpgradePolicy;
import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.ReleaseApiClient;
import dev.slipway.releaseapi.ReleaseCatalog;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.semver4j.Semver;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Plan the upgrade path from a version, as the operator would (required stops, blocked releases).")
public class PlanCommand implements Callable<Integer> {

    @ArgGroup(exclusive = false, multiplicity = "1")
    FeedOption feed;

    @Option(names = "--current", required = true, description = "Installed version.")
    String current;

    @Option(names = "--channel", defaultValue = "stable", description = "Channel to follow (default: ${DEFAULT-VALUE}).")
    String channel;

    @Option(names = "--allow", defaultValue = "minor", description = "patch, minor or major (default: ${DEFAULT-VALUE}).")
    UpgradeScope allow;

    @Option(names = "--version", description = "Pin the target to this version.")
    String version;

    @Option(names = "--min-release-age", description = "Ignore releases younger than this (for example 72h).")
    String minReleaseAge;

    @Option(names = "--now", description = "Plan as of this instant (ISO-8601), instead of the current time.")
    String now;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    @Inject
    ReleaseApiClient client;

    @Inject
    Clock clock;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Semver currentVersion = Semver.parse(current);
        if (currentVersion == null) {
            return CliOutput.error(output.format(), out, err, "InvalidVersion", "--current", "'" + current + "' is not a SemVer version");
        }
        Semver pinned = null;
        if (version != null) {
            pinned = Semver.parse(version);
            if (pinned == null) {
                return CliOutput.error(output.format(), out, err, "InvalidVersion", "--version", "'" + version + "' is not a SemVer version");
            }
        }
        Instant at;
        Duration minAge;
        try {
            at = now == null ? clock.instant() : Instant.parse(now);
            minAge = minReleaseAge == null ? Duration.ZERO : KubeDuration.parse(minReleaseAge, "--min-release-age");
        } catch (DateTimeParseException e) {
            return CliOutput.error(output.format(), out, err, "InvalidArgument", "--now", "'" + now + "' is not an ISO-8601 instant");
        } catch (InvalidSpecException e) {
            return CliOutput.error(output.format(), out, err, "InvalidArgument", e.field(), e.reason());
        }
        ReleaseCatalog catalog;
        try {
            catalog = feed.fetch(client);
        } catch (FeedException e) {
            String code = e.kind() == FeedException.Kind.InvalidVersion ? "InvalidVersion" : "InvalidFeed";
            return CliOutput.error(output.format(), out, err, code, "--feed", e.getMessage());
        }
        try {
            ReleaseOptions.requireChannel(catalog, channel);
        } catch (CliInputException e) {
            return CliOutput.error(output.format(), out, err, e.code(), e.field(), e.getMessage());
        }
        UpgradePolicy policy = new UpgradePolicy(channel, allow, pinned, minAge);
        PlanOutcome outcome = UpgradePlanner.plan(currentVersion, catalog.releases(), policy, at);
        if (outcome instanceof PlanOutcome.Failed failed) {
            return CliOutput.error(output.format(), out, err, failed.code().name(), null, failed.message());
        }
        PlanOutcome.Planned planned = (PlanOutcome.Planned) outcome;
        List<String> notes = PlanNotes.of(currentVersion, catalog.releases(), policy, at, planned).stream()
                .map(PlanCommand::withOptionHint).toList();
        if (output.text()) {
            out.println(text(planned, notes));
            out.flush();
        } else {
            CliOutput.printJson(out, json(planned, notes));
        }
        return CliOutput.EXIT_OK;
    }

    /** A note in the words of this command's options. */
    private static String withOptionHint(PlanNotes.Note note) {
        if (note instanceof PlanNotes.BeyondAllowedScope beyond) {
            return beyond.message() + ": use --allow " + lowerCase(beyond.scope());
        }
        if (note instanceof PlanNotes.PinBeyondAllowedScope pin) {
            return "--version " + pin.pinned() + " is a " + lowerCase(pin.scope()) + " upgrade and overrides --allow "
                    + lowerCase(pin.allowed());
        }
        if (note instanceof PlanNotes.CurrentNotInFeed) {
            return note.message() + ": check --current (the path is planned from it as given)";
        }
        return note.message();
    }

    private static String lowerCase(UpgradeScope scope) {
        return scope.name().toLowerCase(Locale.ROOT);
    }

    private static Map<String, Object> json(PlanOutcome.Planned planned, List<String> notes) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("current", planned.current().toString());
        result.put("target", planned.hasUpdate() ? planned.target().toString() : null);
        List<Map<String, Object>> steps = planned.steps().stream().map(PlanCommand::step).toList();
        result.put("steps", steps);
        result.put("upToDate", !planned.hasUpdate() && notes.isEmpty());
        result.put("notes", notes);
        return result;
    }

    private static Map<String, Object> step(Hop hop) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("version", hop.version());
        step.put("reason", hop.reason().name());
        if (hop.schemaVersion() != null) {
            step.put("schemaVersion", hop.schemaVersion());
        }
        return step;
    }

    private static String text(PlanOutcome.Planned planned, List<String> notes) {
        StringBuilder text = new StringBuilder();
        if (!planned.hasUpdate()) {
            text.append(notes.isEmpty() ? planned.current() + " is up to date: no newer release on the channel."
                    : planned.current() + ": no upgrade planned.");
        } else {
            text.append("Upgrade " + planned.current() + " → " + planned.target() + " in " + planned.steps().size()
                    + (planned.steps().size() == 1 ? " hop:" : " hops:"));
            int index = 1;
            for (Hop hop : planned.steps()) {
                text.append(String.format("%n  %d. %-12s %s%s", index++, hop.version(), hop.reason(),
                        hop.schemaVersion() == null ? "" : " (schema " + hop.schemaVersion() + ")"));
            }
        }
        notes.forEach(note -> text.append(System.lineSeparator()).append("note: ").append(note));
        return text.toString();
    }
}
