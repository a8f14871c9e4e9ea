package dev.slipway.demo;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Which upgrade strategy the demo shows; each changes only the demo's setup (the releases it publishes). */
public enum DemoScenario {
    /** Every hop behind the maintenance page (releases declare no compatibility). */
    PAGE("page"),
    /** Every release declares backward-compatible migrations: the shop keeps serving throughout. */
    ZERO_DOWNTIME("zero-downtime");

    private final String option;

    DemoScenario(String option) {
        this.option = option;
    }

    /** The name on the command line. */
    public String option() {
        return option;
    }

    /**
     * The scenario named {@code option}.
     *
     * @throws IllegalArgumentException naming the valid choices
     */
    public static DemoScenario parse(String option) {
        return Arrays.stream(values()).filter(scenario -> scenario.option.equals(option)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("expected one of " + choices() + ", not '" + option
                        + "'"));
    }

    public static String choices() {
        return Arrays.stream(values()).map(DemoScenario::option).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return option;
    }
}
