package dev.slipway.core.window;

/** What a running upgrade does when its window closes: go on, or pause between steps (never mid-step). */
public enum OnWindowEnd {
    CONTINUE("Continue"), PAUSE("Pause");

    private final String specName;

    OnWindowEnd(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }
}
