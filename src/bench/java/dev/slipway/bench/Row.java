package dev.slipway.bench;

import java.util.Locale;

/** One line of the report: a figure, its baseline from the same run (or none), the target and the verdict. */
public record Row(String id, String what, Samples figure, String baselineWhat, Samples baseline, Target target) {

    public static Row absolute(String id, String what, Samples figure, Target target) {
        return new Row(id, what, figure, null, null, target);
    }

    public String ratio() {
        return baseline == null ? "—" : String.format(Locale.ROOT, "%.2f", figure.median() / baseline.median());
    }

    public String verdict() {
        return target.metBy(figure, baseline) ? "met" : "**missed**";
    }

    String markdown() {
        String baselineText = baseline == null ? "—" : baselineWhat + ": " + baseline.describe();
        return "| " + String.join(" | ", id, what, figure.describe(), baselineText, ratio(), target.toString(), verdict())
                + " |";
    }
}
