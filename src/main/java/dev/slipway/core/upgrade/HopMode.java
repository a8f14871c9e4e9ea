package dev.slipway.core.upgrade;

/** How one hop of a path runs. */
public enum HopMode {
    /** Behind the maintenance page with the application quiesced: what every hop needed before compatibility. */
    Page,
    /**
     * Without downtime: the release declares backward-compatible migrations and {@code policy.zeroDowntime} allows
     * it, so expand runs under the old version, the images roll, and contract runs after the soak.
     */
    Rolling;

    /**
     * @param backwardCompatible whether the hop's release declares {@code migrations.compatibility: backward}
     * @param allowed            {@code spec.policy.zeroDowntime} is Allowed
     */
    public static HopMode of(boolean backwardCompatible, boolean allowed) {
        return backwardCompatible && allowed ? Rolling : Page;
    }

    /** Whether users see the maintenance page during this hop. */
    public boolean downtime() {
        return this == Page;
    }
}
