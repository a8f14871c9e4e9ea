package dev.slipway.kubernetes.backup;

/**
 * Where a {@link BackupRestorer} restores to: the application's database and its server ({@code target.admin()}), and
 * what the restored database must show.
 *
 * @param schemaVersion the Flyway schema version of the release the backup was taken from, null when unknown
 * @param flywaySchema the schema of Flyway's history table ({@code spec.database.schemas[0]}), null when not set
 */
public record RestoreTarget(BackupTarget target, String schemaVersion, String flywaySchema) {
}
