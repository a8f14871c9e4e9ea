package dev.slipway.bench;

import java.math.BigDecimal;

/**
 * What issue 9 asks of a figure: an absolute ceiling on its median, or a ceiling on the ratio of its median to the
 * baseline's median measured in the same run.
 */
public record Target(double limit, boolean ratio, String unit) {

    public static Target atMost(double limit, String unit) {
        return new Target(limit, false, unit);
    }

    public static Target ratioAtMost(double limit) {
        return new Target(limit, true, "×");
    }

    public boolean metBy(Samples figure, Samples baseline) {
        return (ratio ? figure.median() / baseline.median() : figure.median()) <= limit;
    }

    @Override
    public String toString() {
        return ratio ? "≤ " + BigDecimal.valueOf(limit).stripTrailingZeros().toPlainString() + " × baseline"
                : "≤ " + Samples.format(limit) + " " + unit;
    }
}
