package dev.slipway.core;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the way Kubernetes writes them (Go's {@code time.ParseDuration}): a sequence of decimal numbers
 * with units, such as {@code 90m}, {@code 1h30m}, {@code 1.5h}, {@code 30s} or {@code 0}. Units are {@code ns},
 * {@code us} ({@code µs}), {@code ms}, {@code s}, {@code m} and {@code h}; there is no day unit. Negative durations are
 * rejected because no Slipway setting means anything with them.
 */
public final class KubeDuration {

    private static final Pattern WHOLE = Pattern.compile("((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Map<String, BigDecimal> NANOS_PER_UNIT = Map.of(
            "ns", BigDecimal.ONE,
            "us", BigDecimal.valueOf(1_000L),
            "µs", BigDecimal.valueOf(1_000L),
            "ms", BigDecimal.valueOf(1_000_000L),
            "s", BigDecimal.valueOf(1_000_000_000L),
            "m", BigDecimal.valueOf(60_000_000_000L),
            "h", BigDecimal.valueOf(3_600_000_000_000L));
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private KubeDuration() {
    }

    /**
     * @param text  what the admin wrote
     * @param field the field path reported if the text is not a duration
     * @throws InvalidSpecException if {@code text} is null, blank, negative, malformed or longer than about 292 years
     */
    public static Duration parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw new InvalidSpecException(field, "must be a duration such as 90m or 1h30m");
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (text.startsWith("-")) {
            throw new InvalidSpecException(field, "must not be negative, got \"" + text + "\"");
        }
        if (!WHOLE.matcher(text).matches()) {
            throw new InvalidSpecException(field, "\"" + text + "\" is not a duration; use units h, m, s, ms"
                    + " (for example 90m, 1h30m or 48h; there is no day unit)");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(leadingZeroFor(part.group(1))).multiply(NANOS_PER_UNIT.get(part.group(2))));
        }
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw new InvalidSpecException(field, "\"" + text + "\" is too long a duration");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** Renders a duration in the same notation, for messages: {@code 1h30m}, {@code 45m}, {@code 30s}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        appendUnit(text, duration.toHours(), "h");
        appendUnit(text, duration.toMinutesPart(), "m");
        appendUnit(text, duration.toSecondsPart(), "s");
        appendUnit(text, duration.toMillisPart(), "ms");
        return text.length() == 0 ? duration.toNanos() + "ns" : text.toString();
    }

    private static void appendUnit(StringBuilder text, long amount, String unit) {
        if (amount != 0) {
            text.append(amount).append(unit);
        }
    }

    /** BigDecimal rejects ".5"; Go accepts it. */
    private static String leadingZeroFor(String number) {
        return number.startsWith(".") ? "0" + number : number;
    }
}
