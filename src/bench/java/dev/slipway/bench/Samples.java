package dev.slipway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Repeated measurements of one figure in one unit; reported as median with min–max spread. */
public record Samples(List<Double> values, String unit) {

    public Samples {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        values = values.stream().sorted().toList();
    }

    /** A piece of work to time; may throw whatever the code under measurement throws. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /** Wall-clock milliseconds of {@code runs} executions of {@code work}, after {@code warmups} untimed ones. */
    public static Samples millis(int warmups, int runs, Work work) throws Exception {
        for (int i = 0; i < warmups; i++) {
            work.run();
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            millis.add(millisOf(work));
        }
        return new Samples(millis, "ms");
    }

    static double millisOf(Work work) throws Exception {
        long started = System.nanoTime();
        work.run();
        return (System.nanoTime() - started) / 1e6;
    }

    public double median() {
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }

    public String describe() {
        return format(median()) + " " + unit + " (" + format(values.get(0)) + "–" + format(values.get(values.size() - 1))
                + ", n=" + values.size() + ")";
    }

    /** Whole numbers (counts) without decimals, large values to the unit, small ones to a tenth. */
    static String format(double value) {
        return value >= 100 || value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
