package dev.slipway.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A figure and its baseline timed in alternation, run by run, so that a neighbour's build slowing the shared machine
 * down hits both sides alike instead of skewing the ratio.
 */
record Comparison(Samples figure, Samples baseline) {

    /** Untimed preparation (a fresh database, say) that returns the work to time. */
    @FunctionalInterface
    interface Prepared {
        Samples.Work prepare() throws Exception;
    }

    static Comparison interleaved(int warmups, int runs, Prepared figure, Prepared baseline) throws Exception {
        for (int i = 0; i < warmups; i++) {
            figure.prepare().run();
            baseline.prepare().run();
        }
        List<Double> figureMillis = new ArrayList<>();
        List<Double> baselineMillis = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            figureMillis.add(Samples.millisOf(figure.prepare()));
            baselineMillis.add(Samples.millisOf(baseline.prepare()));
        }
        return new Comparison(new Samples(figureMillis, "ms"), new Samples(baselineMillis, "ms"));
    }
}
