package dev.slipway.core;

import java.util.Locale;

/** Byte counts in the words of messages: binary units with the exact count beside them. */
public final class ByteSize {

    private ByteSize() {
    }

    /** "7.6 MiB (7969283 bytes)"; "512 bytes" below one KiB. */
    public static String text(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        String unit = "bytes";
        for (int i = 0; i < units.length && value >= 1024; i++) {
            value /= 1024;
            unit = units[i];
        }
        return unit.equals("bytes") ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s (%d bytes)", value, unit,
                bytes);
    }
}
