package dev.slipway.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * System properties set for as long as the demo runs and put back afterwards, so a JVM that runs the demo and then
 * something else (the test harness does) is not left pointing at a server that no longer exists.
 */
final class SystemPropertyOverrides implements AutoCloseable {

    private final Map<String, String> previous = new LinkedHashMap<>();

    void set(String name, String value) {
        String old = System.setProperty(name, value);
        previous.putIfAbsent(name, old);
    }

    /** Restores every property to its value before the first {@link #set}. */
    @Override
    public void close() {
        previous.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        previous.clear();
    }
}
