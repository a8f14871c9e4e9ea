package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.spec.HealthCheckSpec;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.artifacts.ArtifactStore;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.core.KubeDuration;
import dev.slipway.core.upgrade.ImageRollback;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.database.DatabaseException;
import dev.slipway.database.DbConnection;
import dev.slipway.database.FlywayMigrator;
import dev.slipway.database.SchemaFloor;
import dev.slipway.kubernetes.workload.Workloads;
import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.Release;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.semver4j.Semver;

/**
 * The work of a zero-downtime hop (Expand → RollOut → Soak → Contract) and the schema floor that guards every start
 * of an older version: the application serves throughout, so nothing here scales to zero or touches the Ingress.
 */
@ApplicationScoped
public class RollingHop {

    static final Duration DEFAULT_SOAK = Duration.ofMinutes(5);

    private final Workloads workloads;
    private final ArtifactStore bundles;
    private final DatabaseAccess databases;
    private final HealthProbe health;
    private final SlipwayConfig config;
    private final Clock clock;

    public RollingHop(Workloads workloads, ArtifactStore bundles, DatabaseAccess databases, HealthProbe health,
            SlipwayConfig config, Clock clock) {
        this.workloads = workloads;
        this.bundles = bundles;
        this.databases = databases;
        this.health = health;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Expand (up to the release's expand schema version) or Contract (up to its schema version), all or nothing, then
     * the phase's minAppVersion appended to the database's schema floor. A failed phase changed nothing: PostgreSQL
     * rolled its transaction back.
     */
    StepResult migratePhase(ManagedUpgrade resource, ManagedUpgradeStatus status, UpgradeInputs in, int hop,
            UpgradeStep phase) {
        UpgradeProgress progress = status.getUpgrade();
        HopStatus step = progress.getHops().get(hop);
        Release release = StepRunner.release(in, step.version()).orElse(null);
        if (release == null || release.migrations() == null || in.database() == null) {
            return StepResult.done();
        }
        Release.Compatibility compatibility = release.migrations().compatibility();
        boolean expand = phase == UpgradeStep.Expand;
        String target = expand ? compatibility.expandSchemaVersion() : release.migrations().schemaVersion();
        Semver floor = expand ? compatibility.expandMinAppVersion() : compatibility.contractMinAppVersion();
        try {
            DbConnection db = adminConnection(resource, in);
            Path directory = bundles.migrations(in.source(), StepRunner.owner(resource), release);
            FlywayMigrator.MigrationRun run = new FlywayMigrator(db, directory, config.database().lockTimeout())
                    .inSchemas(in.database().getSchemas())
                    .migrate(target, migration -> { });
            if (!run.applied().isEmpty()) {
                progress.setCommitted(true);
            }
            new SchemaFloor(db, in.database().getSchemas()).record(new SchemaFloor.Entry(floor.toString(),
                    step.version(), phase.name().toLowerCase(java.util.Locale.ROOT), target, clock.instant()));
            if (status.getDatabase() != null) {
                status.setDatabase(status.getDatabase().atSchema(target));
            }
            return StepResult.done();
        } catch (IllegalArgumentException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage());
        } catch (FeedException e) {
            return StepResult.fail(UpgradeFailure.BundleUnavailable, e.getMessage());
        } catch (DatabaseException e) {
            return StepRunner.migrationFailure(e, phase.name().toLowerCase(java.util.Locale.ROOT) + " migrations of "
                    + step.version() + (expand ? " (nothing changed, " + progress.getFrom() + " still serves)" : ""));
        }
    }

    /**
     * Sets the hop's images one component at a time, by each workload's own strategy: the next component starts only
     * when this one rolled out ({@code rollout}) and the health check answers. The images and replicas it replaces
     * are checkpointed first, for the automatic rollback.
     */
    StepResult rollOut(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in, int hop,
            Function<List<ComponentSpec>, StepResult> rollout) {
        if (progress.getReplicas() == null) {
            Optional<StepResult> missing = StepRunner.recordOriginals(workloads, resource, progress, in);
            return missing.orElseGet(StepResult.Checkpoint::new);
        }
        String version = progress.getHops().get(hop).version();
        Release release = StepRunner.release(in, version).orElse(null);
        if (release == null) {
            return StepResult.fail(UpgradeFailure.ImageMissing, "release " + version + " is no longer in the feed");
        }
        for (ComponentSpec component : in.spec().components()) {
            String image = release.images().get(component.getName());
            if (image == null) {
                return StepResult.fail(UpgradeFailure.ImageMissing, "release " + version + " has no image for "
                        + component.getName());
            }
            if (!workloads.setImage(resource.getMetadata().getNamespace(), component, image)) {
                return StepResult.fail(UpgradeFailure.WorkloadMissing, "the workload of component "
                        + component.getName() + " does not exist");
            }
            StepResult rolledOut = rollout.apply(List.of(component));
            if (!(rolledOut instanceof StepResult.Done)) {
                return rolledOut;
            }
            StepResult healthy = healthy(resource, progress, "after " + component.getName() + " rolled out");
            if (!(healthy instanceof StepResult.Done)) {
                return healthy;
            }
        }
        return StepResult.done();
    }

    /** The new version serves for {@code healthCheck.soak} with the health check passing, before contract. */
    StepResult soak(ManagedUpgrade resource, UpgradeProgress progress) {
        HealthCheckSpec check = resource.getSpec().getApplication().getHealthCheck();
        if (check != null && !health.answers(check)) {
            return StepResult.fail(UpgradeFailure.HealthCheckFailed, "the health check " + check.getUrl()
                    + " failed during the soak, before the contract migrations; they were not applied");
        }
        Duration soak = soak(check);
        Duration remaining = soak.minus(Duration.between(Instant.parse(progress.getStepStartedAt()), clock.instant()));
        if (remaining.compareTo(Duration.ZERO) > 0) {
            return new StepResult.Wait(remaining.compareTo(Duration.ofSeconds(2)) < 0 ? remaining : Duration.ofSeconds(2),
                    "the new version to serve for " + KubeDuration.format(soak) + " (spec.application.healthCheck.soak)");
        }
        return StepResult.done();
    }

    /**
     * Whether the images may go back to {@code progress.from}: every schema change so far declared compatible, and
     * the database's floor (the table; the declaration when the table cannot be read) no newer than that version.
     */
    ImageRollback imageRollback(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in, int failedHop) {
        Semver previous = Semver.parse(progress.getFrom());
        boolean compatible = true;
        Semver declaredFloor = null;
        for (HopStatus hop : progress.getHops().subList(0, Math.min(failedHop + 1, progress.getHops().size()))) {
            Optional<Release> release = StepRunner.release(in, hop.version());
            boolean changesSchema = release.map(Release::migrations).isPresent();
            Optional<Release.Compatibility> declared = release.flatMap(Release::compatibility);
            compatible &= !changesSchema || declared.isPresent();
            declaredFloor = declared.map(Release.Compatibility::expandMinAppVersion).orElse(declaredFloor);
        }
        if (!compatible) {
            return ImageRollback.incompatibleSchema(previous);
        }
        Semver floor = recordedFloor(resource, in).orElse(declaredFloor);
        return new ImageRollback(true, floor, previous);
    }

    /** A start of {@code version} the database's schema floor forbids, as a failure; empty when it may start. */
    Optional<StepResult> floorRefusal(ManagedUpgrade resource, UpgradeInputs in, String version) {
        if (in.database() == null) {
            return Optional.empty();
        }
        return ImageRollback.startRefusal(recordedFloor(resource, in).orElse(null), Semver.parse(version))
                .map(reason -> StepResult.fail(UpgradeFailure.SchemaFloorForbids, reason));
    }

    /**
     * The floor the database records; empty when it records none or cannot be read (then the declarations decide,
     * and a database that cannot be read fails the start anyway, in its health check).
     */
    private Optional<Semver> recordedFloor(ManagedUpgrade resource, UpgradeInputs in) {
        if (in.database() == null) {
            return Optional.empty();
        }
        try {
            return new SchemaFloor(adminConnection(resource, in), in.database().getSchemas()).current()
                    .map(entry -> Semver.parse(entry.minAppVersion()));
        } catch (DatabaseException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private StepResult healthy(ManagedUpgrade resource, UpgradeProgress progress, String when) {
        HealthCheckSpec check = resource.getSpec().getApplication().getHealthCheck();
        if (check == null || health.answers(check)) {
            return StepResult.done();
        }
        Duration timeout = StepRunner.healthTimeout(resource);
        if (Duration.between(Instant.parse(progress.getStepStartedAt()), clock.instant()).compareTo(timeout) > 0) {
            return StepResult.fail(UpgradeFailure.HealthCheckFailed, "the health check " + check.getUrl()
                    + " did not answer 2xx within " + KubeDuration.format(timeout) + " " + when);
        }
        return StepResult.pollAgain("health check " + when);
    }

    static Duration soak(HealthCheckSpec check) {
        return check == null || check.getSoak() == null ? DEFAULT_SOAK
                : KubeDuration.parse(check.getSoak(), "spec.application.healthCheck.soak");
    }

    private DbConnection adminConnection(ManagedUpgrade resource, UpgradeInputs in) {
        return databases.connection(resource.getMetadata().getNamespace(), in.database().getAdminSecretRef(),
                "spec.database.adminSecretRef");
    }
}
