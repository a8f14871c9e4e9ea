package dev.slipway.core.upgrade;

import dev.slipway.core.ByteSize;
import dev.slipway.core.KubeDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The time half of the backup preflight, before the page goes up: the backup takes about the database's size divided
 * by the copy rate, the migrations about what they took before; an upgrade whose estimate ends after its maintenance
 * window would keep the page up past it, so it does not start.
 *
 * @param database the database backed up, for the message
 * @param databaseBytes its size ({@code pg_database_size})
 * @param bytesPerSecond the assumed copy rate
 * @param migrations the migrations' estimate, empty when nothing is known of them
 */
public record BackupTimePreflight(String database, long databaseBytes, long bytesPerSecond,
        Optional<Duration> migrations) {

    public BackupTimePreflight {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("the backup throughput must be positive, not " + bytesPerSecond);
        }
    }

    /** The backup's estimate, rounded up to whole seconds. */
    public Duration backup() {
        return Duration.ofSeconds((databaseBytes + bytesPerSecond - 1) / bytesPerSecond);
    }

    /** Backup and migrations together. */
    public Duration total() {
        return backup().plus(migrations.orElse(Duration.ZERO));
    }

    /**
     * Why the upgrade would overrun its window, with the numbers, if it would.
     *
     * @param windowEnd the end of the window the upgrade starts in; empty when none binds it (no windows configured,
     *                  or started outside them by an override)
     * @param rateSource where the rate comes from, for the message (the setting to change)
     */
    public Optional<String> overrun(Instant now, Optional<Instant> windowEnd, String rateSource) {
        if (windowEnd.isEmpty()) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, windowEnd.get());
        if (total().compareTo(left) <= 0) {
            return Optional.empty();
        }
        return Optional.of("the backup of database " + database + " (" + ByteSize.text(databaseBytes) + ") would take "
                + "about " + KubeDuration.format(backup()) + " at " + ByteSize.text(bytesPerSecond) + " per second ("
                + rateSource + ")" + migrations.map(m -> " and the migrations about " + KubeDuration.format(m)
                        + " (as long as they took before)").orElse("") + ", " + KubeDuration.format(total())
                + " in all, but the maintenance window ends at " + windowEnd.get() + ", in "
                + KubeDuration.format(left.isNegative() ? Duration.ZERO : left) + "; nothing was changed: set "
                + "spec.actions.retry in a window that leaves enough time");
    }
}
