package dev.slipway.core.schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One difference between the expected and the live schema: which object, how bad, what is wrong, and the SQL that
 * would restore the expected state where a safe statement exists (empty otherwise).
 *
 * <p>A {@link Severity#FIXABLE} finding always has statements and none of them drops anything: those are the
 * statements {@code drift --fix} runs unattended.
 */
public record DriftFinding(DriftCategory category, String object, Severity severity, String problem,
        List<String> statements) {

    private static final Pattern DROPS_SOMETHING = Pattern.compile("(?is)^\\s*(DROP\\b|ALTER\\b[^;]*\\bDROP\\b)");

    public DriftFinding {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(problem, "problem");
        statements = List.copyOf(statements);
        if (severity == Severity.FIXABLE && statements.isEmpty()) {
            throw new IllegalArgumentException("a Fixable finding needs the statements that fix it: " + object);
        }
        if (severity == Severity.FIXABLE && statements.stream().anyMatch(DriftFinding::dropsSomething)) {
            throw new IllegalArgumentException("a Fixable finding must never drop anything: " + object);
        }
    }

    @JsonIgnore
    public boolean isBlocking() {
        return severity == Severity.BLOCKING;
    }

    static boolean dropsSomething(String statement) {
        return DROPS_SOMETHING.matcher(statement).find();
    }
}
