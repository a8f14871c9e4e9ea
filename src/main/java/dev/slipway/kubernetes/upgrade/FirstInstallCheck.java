package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.DatabaseSpec;
import dev.slipway.core.upgrade.FirstInstall;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.database.DatabaseContentsReader;
import dev.slipway.database.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Reads what the application's database holds (over the read-only connection when one is given) and asks
 * {@link FirstInstall} what that means: before a first install is planned, and again in its Preflight, since the
 * database may have been written in between.
 */
@ApplicationScoped
public class FirstInstallCheck {

    private final DatabaseAccess databases;

    public FirstInstallCheck(DatabaseAccess databases) {
        this.databases = databases;
    }

    /**
     * @param statedNotInstalled the admin stated {@code installedVersion: none}
     * @throws IllegalArgumentException when the Secret is missing or incomplete
     * @throws DatabaseException        when the database cannot be read
     */
    public FirstInstall.Assessment assess(ManagedUpgrade resource, boolean statedNotInstalled) {
        DatabaseSpec database = resource.getSpec().getDatabase();
        if (database == null) {
            // No database to migrate: nothing stands in the way, nothing tells an installed application either.
            return FirstInstall.assess(statedNotInstalled, FirstInstall.DatabaseContents.empty());
        }
        String namespace = resource.getMetadata().getNamespace();
        var connection = database.getReadOnlySecretRef() == null
                ? databases.connection(namespace, database.getAdminSecretRef(), "spec.database.adminSecretRef")
                : databases.connection(namespace, database.getReadOnlySecretRef(), "spec.database.readOnlySecretRef");
        return FirstInstall.assess(statedNotInstalled, DatabaseContentsReader.read(connection, database.getSchemas(),
                FirstInstall.NAMES_SHOWN));
    }

    /** Preflight of a first install: the database must still be empty. */
    Optional<StepResult> refusal(ManagedUpgrade resource) {
        try {
            FirstInstall.Assessment assessment = assess(resource, true);
            return assessment.verdict() == FirstInstall.Verdict.Install ? Optional.empty()
                    : Optional.of(StepResult.fail(UpgradeFailure.DatabaseNotEmpty, assessment.reason()));
        } catch (IllegalArgumentException | DatabaseException e) {
            return Optional.of(StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage()));
        }
    }
}
