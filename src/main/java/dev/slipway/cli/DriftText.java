package dev.slipway.cli;

import dev.slipway.core.schema.DriftFinding;
import dev.slipway.core.schema.Severity;
import java.util.List;

/** The text form of drift findings: a count line, then one line per finding with its SQL indented below. */
final class DriftText {

    private DriftText() {
    }

    static String describe(List<DriftFinding> findings) {
        if (findings.isEmpty()) {
            return "No drift: the schema matches the expected snapshot.\n";
        }
        StringBuilder text = new StringBuilder(summary(findings)).append('\n');
        for (DriftFinding finding : findings) {
            text.append(String.format("%-9s %-20s %s: %s%n", finding.severity().label(), finding.category().label(),
                    finding.object(), finding.problem()));
            finding.statements().forEach(statement -> text.append(indent(statement)).append('\n'));
        }
        return text.toString();
    }

    static String summary(List<DriftFinding> findings) {
        return findings.size() + (findings.size() == 1 ? " finding" : " findings") + " (" + count(findings, Severity.BLOCKING)
                + " Blocking, " + count(findings, Severity.FIXABLE) + " Fixable, " + count(findings, Severity.WARNING)
                + " Warning)";
    }

    static String indent(String statement) {
        return "    " + statement.replace("\n", "\n    ") + ";";
    }

    static long count(List<DriftFinding> findings, Severity severity) {
        return findings.stream().filter(finding -> finding.severity() == severity).count();
    }
}
