package dev.slipway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.core.window.ParsedMaintenance;
import dev.slipway.core.window.UpgradeScope;
import dev.slipway.core.window.WindowEngine;
import dev.slipway.core.window.WindowEvaluation;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "windows", mixinStandardHelpOptions = true,
        description = "Evaluate a maintenance schedule: may an upgrade start at the given instants, and when next?")
public class WindowsCommand implements Callable<Integer> {

    static final int INVALID_INPUT = 2;
    private static final Instant EARLIEST_AT = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST_AT = Instant.parse("9999-01-01T00:00:00Z");

    @Option(names = "--spec", required = true, paramLabel = "<file.yaml|json>",
            description = "A maintenance object, a document with a maintenance: key, or a ManagedUpgrade.")
    Path specFile;

    @Option(names = "--at", paramLabel = "<instant>",
            description = "Instant to evaluate (ISO-8601 such as 2026-11-14T21:00:00Z); repeatable; default now.")
    List<String> at = new ArrayList<>();

    @Option(names = "--scope", defaultValue = "major", paramLabel = "patch|minor|major",
            description = "Size of the upgrade, which decides the exclusions that apply (default: ${DEFAULT-VALUE}).")
    String scope;

    @Option(names = "--output", defaultValue = "json", paramLabel = "json|text",
            description = "json (default) or text: the next three windows in local time and UTC.")
    String output;

    @Spec
    CommandSpec commandSpec;

    private final Clock clock;
    private final ObjectMapper json = CliOutput.JSON;

    @Inject
    public WindowsCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        boolean text = "text".equals(output);
        try {
            if (!text && !"json".equals(output)) {
                throw new UsageException("--output", "must be json or text, got \"" + output + "\"");
            }
            UpgradeScope upgradeScope = upgradeScope();
            List<Instant> instants = instants();
            ParsedMaintenance parsed = MaintenanceSpecFile.read(specFile);
            parsed.warnings().forEach(warning -> err().println("warning: " + warning));
            WindowEngine engine = new WindowEngine(parsed.schedule());
            List<WindowEvaluation> evaluations = instants.stream().map(i -> engine.evaluate(i, upgradeScope)).toList();
            if (text) {
                out().print(new WindowsTextReport(parsed.schedule(), engine, upgradeScope).render(evaluations));
            } else {
                out().println(json.writeValueAsString(WindowsJson.of(evaluations, json)));
            }
            out().flush();
            return 0;
        } catch (InvalidSpecException invalid) {
            return fail(text, "InvalidSpec", invalid.field(), invalid.reason());
        } catch (UsageException usage) {
            return fail(text, "Usage", usage.option, usage.reason);
        } catch (JsonProcessingException malformed) {
            return fail(text, "InvalidInput", null, specFile + " is not valid YAML/JSON at " + where(malformed) + ": "
                    + firstLine(malformed.getOriginalMessage()));
        } catch (IOException unreadable) {
            return fail(text, "InvalidInput", null, "cannot read " + specFile + ": " + firstLine(unreadable.getMessage()));
        }
    }

    private UpgradeScope upgradeScope() {
        try {
            return UpgradeScope.valueOf(scope.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new UsageException("--scope", "must be patch, minor or major, got \"" + scope + "\"");
        }
    }

    private List<Instant> instants() {
        if (at.isEmpty()) {
            return List.of(clock.instant());
        }
        List<Instant> instants = new ArrayList<>();
        for (String value : at) {
            Instant instant;
            try {
                instant = OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeException notAnInstant) {
                throw new UsageException("--at", "\"" + value + "\" is not an instant such as 2026-11-14T21:00:00Z");
            }
            if (instant.isBefore(EARLIEST_AT) || instant.isAfter(LATEST_AT)) {
                throw new UsageException("--at", "\"" + value + "\" must lie between the years 1900 and 9998");
            }
            instants.add(instant);
        }
        return instants;
    }

    private int fail(boolean text, String code, String field, String message) throws JsonProcessingException {
        boolean hasField = field != null && !field.isEmpty();
        if (text) {
            err().println("error: " + (hasField ? field + ": " : "") + message);
        } else {
            ObjectNode error = json.createObjectNode().put("code", code);
            if (hasField) {
                error.put("field", field);
            }
            error.put("message", message);
            JsonNode document = json.createObjectNode().set("error", error);
            out().println(json.writeValueAsString(document));
        }
        out().flush();
        err().flush();
        return INVALID_INPUT;
    }

    private PrintWriter out() {
        return commandSpec.commandLine().getOut();
    }

    private PrintWriter err() {
        return commandSpec.commandLine().getErr();
    }

    private static String where(JsonProcessingException malformed) {
        return malformed.getLocation() == null ? "an unknown position" : "line " + malformed.getLocation().getLineNr()
                + ", column " + malformed.getLocation().getColumnNr();
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
    }

    /** A command-line value that makes no sense; reported like an invalid spec, with the option as the field. */
    private static final class UsageException extends RuntimeException {
        final String option;
        final String reason;

        UsageException(String option, String reason) {
            super(option + ": " + reason);
            this.option = option;
            this.reason = reason;
        }
    }
}
