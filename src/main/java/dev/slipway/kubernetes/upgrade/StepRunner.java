package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.ReplicaRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.artifacts.ArtifactStore;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.core.KubeDuration;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import dev.slipway.core.upgrade.UpgradeSequence;
import dev.slipway.database.DatabaseException;
import dev.slipway.database.DbConnection;
import dev.slipway.database.FlywayMigrator;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.kubernetes.page.PageAccess;
import dev.slipway.kubernetes.page.PageDeployment;
import dev.slipway.kubernetes.page.PageNames;
import dev.slipway.kubernetes.page.PageService;
import dev.slipway.kubernetes.workload.Workloads;
import dev.slipway.releaseapi.FeedException;
import dev.slipway.releaseapi.Release;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.semver4j.Semver;

/**
 * Does the work of each step. Every method is idempotent: run twice (after a crash, say), it converges on the same
 * state. Nothing here decides what comes next; that is {@code UpgradeSequence}'s job.
 */
@ApplicationScoped
public class StepRunner {

    private static final Logger LOG = Logger.getLogger(StepRunner.class);
    private static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMinutes(5);

    private final Workloads workloads;
    private final IngressSwap ingress;
    private final PageAccess pageAccess;
    private final PageService pageService;
    private final PageDeployment pageDeployment;
    private final ArtifactStore bundles;
    private final DatabaseAccess databases;
    private final DatabasePreflight databasePreflight;
    private final HealthProbe health;
    private final UpgradeUndo undo;
    private final SlipwayConfig config;
    private final Clock clock;

    public StepRunner(Workloads workloads, IngressSwap ingress, PageAccess pageAccess, PageService pageService,
            PageDeployment pageDeployment, ArtifactStore bundles, DatabaseAccess databases,
            DatabasePreflight databasePreflight, HealthProbe health, UpgradeUndo undo, SlipwayConfig config,
            Clock clock) {
        this.workloads = workloads;
        this.ingress = ingress;
        this.pageAccess = pageAccess;
        this.pageService = pageService;
        this.pageDeployment = pageDeployment;
        this.bundles = bundles;
        this.databases = databases;
        this.databasePreflight = databasePreflight;
        this.health = health;
        this.undo = undo;
        this.config = config;
        this.clock = clock;
    }

    StepResult run(Position position, ManagedUpgrade resource, ManagedUpgradeStatus status, UpgradeInputs in) {
        UpgradeProgress progress = status.getUpgrade();
        return switch (position.step()) {
            case Preflight -> preflight(resource, status, in);
            case PageUp -> pageUp(resource, progress);
            case SwapTraffic -> swapTraffic(resource, progress, in);
            case Quiesce -> quiesce(resource, progress, in);
            case Migrate -> migrate(resource, status, in, position.hop());
            case RollImages -> rollImages(resource, progress, in, position.hop());
            case StartStop -> start(resource, progress, in);
            case Resume -> resume(resource, progress, in);
            case QuiesceStop -> quiesce(resource, progress, in);
            case RestoreTraffic -> restoreTraffic(resource, progress, in);
            case RollBack -> rollBack(resource, progress, in);
            case Record -> {
                // The upgrade's bundles have served: the cache may evict them now.
                bundles.release(owner(resource));
                yield StepResult.done();
            }
        };
    }

    private StepResult preflight(ManagedUpgrade resource, ManagedUpgradeStatus status, UpgradeInputs in) {
        UpgradeProgress progress = status.getUpgrade();
        String namespace = resource.getMetadata().getNamespace();
        for (ComponentSpec component : in.spec().components()) {
            Optional<Workloads.WorkloadState> state = workloads.state(namespace, component);
            if (state.isEmpty()) {
                return missingWorkload(component);
            }
            if (state.get().image() == null) {
                // Caught here, before anything changes, rather than in RollImages after a hop committed.
                return StepResult.fail(UpgradeFailure.ContainerMissing, workloadName(component) + " has no container '"
                        + component.getContainer() + "' (spec.application.components[" + component.getName()
                        + "].container); its containers are " + String.join(", ", state.get().containers()));
            }
        }
        Optional<String> ingressProblem = ingress.problem(namespace, in.spec().ingressName());
        if (ingressProblem.isPresent()) {
            return StepResult.fail(UpgradeFailure.IngressMissing, ingressProblem.get());
        }
        for (HopStatus hop : progress.getHops()) {
            Optional<Release> release = release(in, hop.version());
            if (release.isEmpty()) {
                return StepResult.fail(UpgradeFailure.BundleUnavailable, "release " + hop.version()
                        + " is no longer in the feed");
            }
            for (ComponentSpec component : in.spec().components()) {
                String image = release.get().images().get(component.getName());
                if (image == null) {
                    return StepResult.fail(UpgradeFailure.ImageMissing, "release " + hop.version()
                            + " has no image for component " + component.getName());
                }
                if (requireDigests(resource) && !image.contains("@sha256:")) {
                    return StepResult.fail(UpgradeFailure.ImageMissing, "release " + hop.version() + " image of "
                            + component.getName() + " is not pinned by digest (spec.releaseSource.requireDigests)");
                }
            }
            if (release.get().migrations() != null) {
                try {
                    bundles.migrations(in.source(), owner(resource), release.get());
                } catch (FeedException e) {
                    return StepResult.fail(UpgradeFailure.BundleUnavailable, "migration bundle of " + hop.version()
                            + ": " + e.getMessage());
                }
            }
        }
        return in.database() == null ? StepResult.done() : databasePreflight.verify(resource, status, in);
    }

    private StepResult pageUp(ManagedUpgrade resource, UpgradeProgress progress) {
        pageAccess.ensure(resource);
        pageService.ensure(resource);
        if (pageDeployment.ensure(resource, 1)) {
            return StepResult.done();
        }
        if (elapsed(progress).compareTo(config.page().readyTimeout()) > 0) {
            return StepResult.fail(UpgradeFailure.PageNotReady, "the maintenance page did not become Ready within "
                    + config.page().readyTimeout().toSeconds() + "s; traffic was not touched");
        }
        return StepResult.waitFor("maintenance page to become Ready");
    }

    private StepResult swapTraffic(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        String namespace = resource.getMetadata().getNamespace();
        Optional<String> problem = ingress.problem(namespace, in.spec().ingressName());
        if (problem.isPresent()) {
            return StepResult.fail(UpgradeFailure.IngressMissing, problem.get());
        }
        progress.setOriginalIngress(ingress.swapTo(namespace, in.spec().ingressName(), PageNames.name(resource),
                PageNames.SERVICE_PORT));
        return StepResult.done();
    }

    private StepResult quiesce(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        String namespace = resource.getMetadata().getNamespace();
        if (progress.getReplicas() == null) {
            // Record what each component ran before anything changes, and checkpoint it, so the counts and images
            // survive a crash between here and the scale-down.
            List<ReplicaRecord> records = new ArrayList<>();
            for (ComponentSpec component : in.spec().components()) {
                Optional<Workloads.Original> original = workloads.rememberOriginal(namespace, component);
                if (original.isEmpty()) {
                    return missingWorkload(component);
                }
                records.add(new ReplicaRecord(component.getName(), original.get().replicas(), original.get().image()));
            }
            progress.setReplicas(records);
            return new StepResult.Checkpoint();
        }
        boolean stopped = true;
        for (ComponentSpec component : in.spec().components()) {
            if (!workloads.scale(namespace, component, 0)) {
                return missingWorkload(component);
            }
            Workloads.WorkloadState state = workloads.state(namespace, component).orElseThrow();
            stopped &= state.currentReplicas() == 0 && state.readyReplicas() == 0;
        }
        if (stopped) {
            return StepResult.done();
        }
        if (elapsed(progress).compareTo(Duration.ofMinutes(10)) > 0) {
            return StepResult.fail(UpgradeFailure.QuiesceTimeout, "replicas still running after 10 minutes of scale-down");
        }
        return StepResult.waitFor("replicas to stop");
    }

    private StepResult migrate(ManagedUpgrade resource, ManagedUpgradeStatus status, UpgradeInputs in, int hop) {
        UpgradeProgress progress = status.getUpgrade();
        HopStatus step = progress.getHops().get(hop);
        Release release = release(in, step.version()).orElse(null);
        if (release == null || release.migrations() == null || in.database() == null) {
            return StepResult.done();
        }
        try {
            DbConnection db = databases.connection(resource.getMetadata().getNamespace(),
                    in.database().getAdminSecretRef(), "spec.database.adminSecretRef");
            Path directory = bundles.migrations(in.source(), owner(resource), release);
            FlywayMigrator.MigrationRun run = new FlywayMigrator(db, directory, config.database().lockTimeout())
                    .inSchemas(in.database().getSchemas())
                    .migrate(release.migrations().schemaVersion(), migration -> LOG.infof("%s/%s: applying %s",
                            resource.getMetadata().getNamespace(), resource.getMetadata().getName(), migration.script()));
            if (!run.applied().isEmpty()) {
                progress.setCommitted(true);
            }
            if (status.getDatabase() != null) {
                // status.database describes the database as it is now, not as Preflight found it.
                status.setDatabase(status.getDatabase().atSchema(release.migrations().schemaVersion()));
            }
            return StepResult.done();
        } catch (IllegalArgumentException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage());
        } catch (FeedException e) {
            return StepResult.fail(UpgradeFailure.BundleUnavailable, e.getMessage());
        } catch (DatabaseException e) {
            UpgradeFailure reason = switch (e.kind()) {
                case LOCK_TIMEOUT -> UpgradeFailure.MigrationLockTimeout;
                case CONNECTION_FAILED -> UpgradeFailure.DatabaseUnreachable;
                default -> UpgradeFailure.MigrationFailed;
            };
            return StepResult.fail(reason, "migrating to " + step.version() + ": " + e.getMessage());
        }
    }

    private StepResult rollImages(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in, int hop) {
        String version = progress.getHops().get(hop).version();
        Optional<Release> release = release(in, version);
        if (release.isEmpty()) {
            return StepResult.fail(UpgradeFailure.ImageMissing, "release " + version + " is no longer in the feed");
        }
        for (ComponentSpec component : in.spec().components()) {
            String image = release.get().images().get(component.getName());
            if (image == null) {
                return StepResult.fail(UpgradeFailure.ImageMissing, "release " + version + " has no image for "
                        + component.getName());
            }
            if (!workloads.setImage(resource.getMetadata().getNamespace(), component, image)) {
                return missingWorkload(component);
            }
        }
        return StepResult.done();
    }

    /** Scales components back to their recorded replicas and waits for the rollout and the health check. */
    private StepResult start(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        String namespace = resource.getMetadata().getNamespace();
        boolean rolledOut = true;
        for (ComponentSpec component : in.spec().components()) {
            if (!workloads.scale(namespace, component, recordedReplicas(progress, component))) {
                return missingWorkload(component);
            }
            rolledOut &= workloads.state(namespace, component).map(Workloads.WorkloadState::rolledOut).orElse(false);
        }
        Duration timeout = healthTimeout(resource);
        if (rolledOut && health.answers(resource.getSpec().getApplication().getHealthCheck())) {
            return StepResult.done();
        }
        if (elapsed(progress).compareTo(timeout) > 0) {
            return rolledOut
                    ? StepResult.fail(UpgradeFailure.HealthCheckFailed, "the health check did not answer 2xx within "
                            + timeout.toSeconds() + "s")
                    : StepResult.fail(UpgradeFailure.RolloutTimeout, "the application did not become Ready within "
                            + timeout.toSeconds() + "s");
        }
        return rolledOut ? StepResult.pollAgain("health check") : StepResult.waitFor("rollout");
    }

    private StepResult restoreTraffic(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        if (!ingress.restore(resource.getMetadata().getNamespace(), in.spec().ingressName(), progress.getOriginalIngress())) {
            return StepResult.fail(UpgradeFailure.IngressMissing, "Ingress '" + in.spec().ingressName()
                    + "' was deleted; its original spec is kept in status.upgrade.originalIngress");
        }
        pageDeployment.scaleDown(resource);
        return StepResult.done();
    }

    /** Restores what the upgrade changed before any migration committed: images, replicas, traffic, page. */
    private StepResult rollBack(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        undo.rollBack(resource, progress, in);
        return StepResult.done();
    }

    private StepResult resume(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        StepResult started = start(resource, progress, in);
        if (started instanceof StepResult.Done) {
            undo.forgetOriginals(resource, in);
        }
        return started;
    }

    private static boolean requireDigests(ManagedUpgrade resource) {
        return Boolean.TRUE.equals(resource.getSpec().getReleaseSource().getRequireDigests());
    }

    private static Duration healthTimeout(ManagedUpgrade resource) {
        var check = resource.getSpec().getApplication().getHealthCheck();
        return check == null || check.getTimeout() == null ? DEFAULT_HEALTH_TIMEOUT
                : KubeDuration.parse(check.getTimeout(), "spec.application.healthCheck.timeout");
    }

    private static int recordedReplicas(UpgradeProgress progress, ComponentSpec component) {
        return UpgradeUndo.recorded(progress, component).map(ReplicaRecord::replicas).orElse(1);
    }

    private Duration elapsed(UpgradeProgress progress) {
        return progress.getStepStartedAt() == null ? Duration.ZERO
                : Duration.between(Instant.parse(progress.getStepStartedAt()), clock.instant());
    }

    static Optional<Release> release(UpgradeInputs in, String version) {
        Semver semver = Semver.parse(version);
        return semver == null ? Optional.empty() : in.catalog().find(semver);
    }

    static String owner(ManagedUpgrade resource) {
        return resource.getMetadata().getNamespace() + "_" + resource.getMetadata().getName();
    }

    private static StepResult missingWorkload(ComponentSpec component) {
        return StepResult.fail(UpgradeFailure.WorkloadMissing, workloadName(component) + " of component "
                + component.getName() + " does not exist");
    }

    private static String workloadName(ComponentSpec component) {
        String kind = component.getWorkload().getKind() == null ? "Deployment" : component.getWorkload().getKind().name();
        return kind + " '" + component.getWorkload().getName() + "'";
    }
}
