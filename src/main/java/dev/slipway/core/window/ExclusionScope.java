package dev.slipway.core.window;

/** Which upgrades an exclusion blocks, spelled in the spec as {@code All}, {@code MinorAndMajor}, {@code Major}. */
public enum ExclusionScope {
    ALL("All"), MINOR_AND_MAJOR("MinorAndMajor"), MAJOR("Major");

    private final String specName;

    ExclusionScope(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    public boolean blocks(UpgradeScope upgrade) {
        return switch (this) {
            case ALL -> true;
            case MINOR_AND_MAJOR -> upgrade != UpgradeScope.PATCH;
            case MAJOR -> upgrade == UpgradeScope.MAJOR;
        };
    }
}
