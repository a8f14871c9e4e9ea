package dev.slipway.kubernetes.backup;

/** How far an {@link ExternalBackup} got. */
public sealed interface BackupProgress {

    /** Not finished: look again later. */
    record Running(String why) implements BackupProgress {
    }

    /** Taken; {@code sizeBytes} when the controller reports it. */
    record Completed(Long sizeBytes, String summary) implements BackupProgress {
    }

    /** The controller gave up; the message says why, in its words. */
    record Failed(String message) implements BackupProgress {
    }
}
