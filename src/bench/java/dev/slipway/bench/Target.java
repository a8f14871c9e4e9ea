package dev.slipway.bench;

import java.math.BigDecimal;

/**
 * What issue 9 asks of a figure: an absolute ceiling on its median, a ceiling on the ratio of its median to the
 * baseline's median measured in the same run, or an exact count that every run must hit.
 */
public record Target(Kind kind, double limit, String unit) {

    /** How the figure is held against the limit. */
    public enum Kind {
        AT_MOST, RATIO_AT_MOST, EXACTLY
    }

    public static Target atMost(double limit, String unit) {
        return new Target(Kind.AT_MOST, limit, unit);
    }

    public static Target ratioAtMost(double limit) {
        return new Target(Kind.RATIO_AT_MOST, limit, "×");
    }

    /** A count such as "3 feed requests per interval": a median of 3 would hide an interval with 2 or 4. */
    public static Target exactly(double value, String unit) {
        return new Target(Kind.EXACTLY, value, unit);
    }

    public boolean metBy(Samples figure, Samples baseline) {
        return switch (kind) {
            case AT_MOST -> figure.median() <= limit;
            case RATIO_AT_MOST -> figure.median() / baseline.median() <= limit;
            case EXACTLY -> figure.values().stream().allMatch(value -> value == limit);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AT_MOST -> "≤ " + Samples.format(limit) + " " + unit;
            case RATIO_AT_MOST -> "≤ " + BigDecimal.valueOf(limit).stripTrailingZeros().toPlainString() + " × baseline";
            case EXACTLY -> "exactly " + Samples.format(limit) + " " + unit + " in every run";
        };
    }
}
