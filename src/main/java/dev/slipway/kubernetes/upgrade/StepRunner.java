package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.page.PageStatus;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.ReplicaRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.artifacts.ArtifactStore;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.core.KubeDuration;
import dev.slipway.core.upgrade.FirstInstall;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import dev.slipway.core.upgrade.UpgradeSequence;
import dev.slipway.database.DatabaseException;
import dev.slipway.database.DbConnection;
import dev.slipway.database.FlywayMigrator;
import dev.slipway.database.RoleSessions;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.kubernetes.page.PageAccess;
import dev.slipway.kubernetes.page.PageDeployment;
import dev.slipway.kubernetes.page.PageNames;
import dev.slipway.kubernetes.page.PageService;
import dev.slipway.kubernetes.spec.ResolvedSpec;
import dev.slipway.kubernetes.status.EventReason;
import dev.slipway.kubernetes.status.EventRecorder;
import dev.slipway.kubernetes.workload.QuiesceGuard;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    private static final Duration QUIESCE_TIMEOUT = Duration.ofMinutes(10);

    private final Workloads workloads;
    private final IngressSwap ingress;
    private final PageAccess pageAccess;
    private final PageService pageService;
    private final PageDeployment pageDeployment;
    private final ArtifactStore bundles;
    private final DatabaseAccess databases;
    private final DatabasePreflight databasePreflight;
    private final DatabaseBackup backup;
    private final HealthProbe health;
    private final RollingHop rolling;
    private final FirstInstallCheck firstInstall;
    private final UpgradeUndo undo;
    private final SlipwayConfig config;
    private final QuiesceGuard guard;
    private final EventRecorder events;
    private final Clock clock;
    /** The last quiesce wait told in an Event, per resource uid, so each change is told once. */
    private final Map<String, String> lastQuiesceEvidence = new ConcurrentHashMap<>();

    public StepRunner(Workloads workloads, IngressSwap ingress, PageAccess pageAccess, PageService pageService,
            PageDeployment pageDeployment, ArtifactStore bundles, DatabaseAccess databases,
            DatabasePreflight databasePreflight, DatabaseBackup backup, HealthProbe health, RollingHop rolling,
            FirstInstallCheck firstInstall, UpgradeUndo undo, SlipwayConfig config, QuiesceGuard guard,
            EventRecorder events, Clock clock) {
        this.workloads = workloads;
        this.ingress = ingress;
        this.pageAccess = pageAccess;
        this.pageService = pageService;
        this.pageDeployment = pageDeployment;
        this.bundles = bundles;
        this.databases = databases;
        this.databasePreflight = databasePreflight;
        this.backup = backup;
        this.health = health;
        this.rolling = rolling;
        this.firstInstall = firstInstall;
        this.undo = undo;
        this.config = config;
        this.guard = guard;
        this.events = events;
        this.clock = clock;
    }

    StepResult run(Position position, ManagedUpgrade resource, ManagedUpgradeStatus status, UpgradeInputs in) {
        UpgradeProgress progress = status.getUpgrade();
        return switch (position.step()) {
            case Preflight -> preflight(resource, status, in);
            case PageUp -> pageUp(resource, progress);
            case SwapTraffic -> swapTraffic(resource, progress, in);
            case Quiesce -> quiesce(resource, progress, in);
            case Backup -> backUp(resource, progress, in);
            case Migrate -> migrate(resource, status, in, position.hop());
            case RollImages -> rollImages(resource, progress, in, position.hop());
            case StartStop -> rolling.floorRefusal(resource, in, hopVersion(progress, position.hop()))
                    .orElseGet(() -> start(resource, progress, in));
            case Resume -> rolling.floorRefusal(resource, in, hopVersion(progress, position.hop()))
                    .orElseGet(() -> resume(resource, progress, in));
            case QuiesceStop -> quiesce(resource, progress, in);
            case RestoreTraffic -> restoreTraffic(resource, progress, in);
            case RollBack -> rollBack(resource, progress, in);
            case Restore -> backup.restore(resource, progress, in);
            case Expand -> rolling.migratePhase(resource, status, in, position.hop(), UpgradeStep.Expand);
            case RollOut -> rolling.rollOut(resource, progress, in, position.hop(),
                    touched -> rollout(resource, progress, in, touched, "the new version"));
            case Soak -> rolling.soak(resource, progress);
            case Contract -> contract(resource, status, in, position.hop());
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
            Optional<String> obstacle = guard.obstacle(namespace, component, in.spec().quiesce().allowAutoscalers());
            if (obstacle.isPresent()) {
                return StepResult.fail(UpgradeFailure.QuiesceBlocked, obstacle.get());
            }
        }
        boolean install = FirstInstall.isInstall(progress.getFrom());
        // A first install never touches traffic: nothing served before.
        Optional<String> ingressProblem = install ? Optional.empty() : ingress.problem(namespace, in.spec().ingressName());
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
        if (install) {
            // What the workloads were, for a rollback before anything committed.
            Optional<StepResult> refused = in.database() == null ? Optional.empty() : firstInstall.refusal(resource);
            return refused.or(() -> recordOriginals(workloads, resource, progress, in)).orElseGet(StepResult::done);
        }
        if (in.database() == null) {
            return StepResult.done();
        }
        Optional<StepResult> backupRefused = backup.refusal(resource, progress, in);
        return backupRefused.isPresent() ? backupRefused.get() : databasePreflight.verify(resource, status, in);
    }

    private StepResult pageUp(ManagedUpgrade resource, UpgradeProgress progress) {
        pageAccess.ensure(resource);
        pageService.ensure(resource);
        if (pageDeployment.ensureUp(resource)) {
            return StepResult.done();
        }
        if (elapsed(progress).compareTo(config.page().readyTimeout()) > 0) {
            return StepResult.fail(UpgradeFailure.PageNotReady, "the maintenance page did not become Ready within "
                    + config.page().readyTimeout().toSeconds() + "s; traffic was not touched");
        }
        return StepResult.waitFor("maintenance page to become Ready");
    }

    /**
     * Points the Ingress at the page (checkpointing what it saved), then, with {@code spec.maintenancePage.verifyUrl},
     * waits until visitors get this resource's page there: controllers and load balancers take the change seconds to
     * minutes later, and stopping the application before would show them errors instead of the page.
     */
    private StepResult swapTraffic(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        String namespace = resource.getMetadata().getNamespace();
        ResolvedSpec.PageTraffic traffic = in.spec().pageTraffic();
        if (progress.getOriginalIngress() == null) {
            Optional<String> problem = ingress.problem(namespace, in.spec().ingressName());
            if (problem.isPresent()) {
                return StepResult.fail(UpgradeFailure.IngressMissing, problem.get());
            }
            IngressSwap.Saved saved = ingress.swapTo(namespace, in.spec().ingressName(), PageNames.name(resource),
                    PageNames.SERVICE_PORT);
            progress.setOriginalIngress(saved.spec());
            progress.setOriginalIngressAnnotations(saved.annotations());
            return traffic.verifyUrl() == null ? StepResult.done() : new StepResult.Checkpoint();
        }
        if (traffic.verifyUrl() == null || health.servesPage(traffic.verifyUrl(), PageStatus.MARKER_HEADER,
                PageStatus.marker(namespace, PageNames.name(resource)))) {
            return StepResult.done();
        }
        if (elapsed(progress).compareTo(traffic.verifyTimeout()) > 0) {
            return StepResult.fail(UpgradeFailure.PageNotPropagated, traffic.verifyUrl() + " did not return the "
                    + "maintenance page (header " + PageStatus.MARKER_HEADER + ": " + PageStatus.marker(namespace,
                    PageNames.name(resource)) + ") within " + KubeDuration.format(traffic.verifyTimeout())
                    + " (spec.maintenancePage.verifyTimeout) after the Ingress was swapped; nothing was stopped. "
                    + "Check that the ingress controller serves this Ingress and routes to Service "
                    + PageNames.name(resource));
        }
        return StepResult.pollAgain("the maintenance page at " + traffic.verifyUrl());
    }

    /**
     * Quiesced means nothing of the application runs: every component at zero replicas, no Pod its selector matches
     * (terminating ones included, since their containers still run), and no session of the application's database
     * roles. Sessions that outlive {@code spec.database.sessionDrainTimeout} (counted from when the last Pod was gone) are
     * terminated, or fail the upgrade before anything was migrated.
     */
    private StepResult quiesce(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        String namespace = resource.getMetadata().getNamespace();
        if (progress.getReplicas() == null) {
            // Record what each component ran before anything changes, and checkpoint it, so the counts and images
            // survive a crash between here and the scale-down.
            return recordOriginals(workloads, resource, progress, in).orElseGet(StepResult.Checkpoint::new);
        }
        List<String> podNames = new ArrayList<>();
        for (ComponentSpec component : in.spec().components()) {
            if (!workloads.scale(namespace, component, 0)) {
                return missingWorkload(component);
            }
            workloads.pods(namespace, component).forEach(pod -> podNames.add(pod.getMetadata().getName()));
        }
        if (!podNames.isEmpty()) {
            progress.setPodsGoneAt(null);
            if (elapsed(progress).compareTo(QUIESCE_TIMEOUT) > 0) {
                return StepResult.fail(UpgradeFailure.QuiesceTimeout, podNames.size() + " pod(s) still exist "
                        + QUIESCE_TIMEOUT.toMinutes() + " minutes after the scale-down: " + String.join(", ", podNames));
            }
            return quiesceEvidence(resource, podNames.size() + (podNames.size() == 1 ? " pod" : " pods")
                    + " to terminate");
        }
        List<String> roles = in.spec().quiesce().applicationRoles();
        if (roles.isEmpty() || in.database() == null) {
            return quiesced(resource, progress, "no pod left (application sessions not checked: "
                    + "spec.database.applicationRoles is not set)");
        }
        if (progress.getPodsGoneAt() == null) {
            // Sessions get their drain time once the Pods are gone: a Pod's graceful termination may outlast it.
            progress.setPodsGoneAt(clock.instant().toString());
            return new StepResult.Checkpoint();
        }
        try {
            RoleSessions sessions = new RoleSessions(adminConnection(resource, in));
            Map<String, Integer> open = sessions.open(roles);
            if (open.isEmpty()) {
                return quiesced(resource, progress, "no pod left, 0 application sessions left");
            }
            Duration drainTimeout = in.spec().quiesce().sessionDrainTimeout();
            if (Duration.between(Instant.parse(progress.getPodsGoneAt()), clock.instant()).compareTo(drainTimeout) <= 0) {
                return quiesceEvidence(resource, "application sessions to end (" + RoleSessions.describe(open)
                        + " still open)");
            }
            if (!in.spec().quiesce().terminateSessions()) {
                return StepResult.fail(UpgradeFailure.SessionsStillOpen, RoleSessions.describe(open) + " still open "
                        + KubeDuration.format(drainTimeout) + " (spec.database.sessionDrainTimeout) after the "
                        + "last application Pod was gone, and spec.database.terminateSessions is false; "
                        + "nothing was migrated. Find the clients in pg_stat_activity (application_name, client_addr)");
            }
            Map<String, Integer> ended = sessions.terminate(roles);
            events.warning(resource, EventReason.SessionsTerminated, "terminated " + RoleSessions.describe(ended)
                    + " with pg_terminate_backend: still open " + KubeDuration.format(drainTimeout)
                    + " (spec.database.sessionDrainTimeout) after the last application Pod was gone");
            return StepResult.pollAgain("terminated application sessions to end");
        } catch (IllegalArgumentException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage());
        } catch (DatabaseException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, "checking application sessions: " + e.getMessage());
        }
    }

    /**
     * Records each component's replicas and image in {@code progress} (and on the workload), what rollback restores;
     * a failure when a workload is missing.
     */
    static Optional<StepResult> recordOriginals(Workloads workloads, ManagedUpgrade resource, UpgradeProgress progress,
            UpgradeInputs in) {
        List<ReplicaRecord> records = new ArrayList<>();
        for (ComponentSpec component : in.spec().components()) {
            Optional<Workloads.Original> original = workloads.rememberOriginal(resource.getMetadata().getNamespace(),
                    component);
            if (original.isEmpty()) {
                return Optional.of(missingWorkload(component));
            }
            records.add(new ReplicaRecord(component.getName(), original.get().replicas(), original.get().image()));
        }
        progress.setReplicas(records);
        return Optional.empty();
    }

    /** A quiesce wait, told in an Event whenever its evidence changes (the condition shows only the latest). */
    private StepResult quiesceEvidence(ManagedUpgrade resource, String waitingFor) {
        if (!waitingFor.equals(lastQuiesceEvidence.put(resource.getMetadata().getUid(), waitingFor))) {
            events.normal(resource, EventReason.Quiescing, "waiting for " + waitingFor);
        }
        // Pods and sessions have no watch that wakes the reconciler: look again soon.
        return StepResult.pollAgain(waitingFor);
    }

    private StepResult quiesced(ManagedUpgrade resource, UpgradeProgress progress, String evidence) {
        lastQuiesceEvidence.remove(resource.getMetadata().getUid());
        progress.setPodsGoneAt(null);
        events.normal(resource, EventReason.Quiescing, "quiesced: " + evidence);
        return StepResult.done();
    }

    /**
     * Before each migration: the application must still be quiesced. Something that scaled it back up (an
     * autoscaler, a GitOps tool's self-heal) would run it against a schema in the middle of changing.
     */
    private Optional<StepResult> quiesceViolation(ManagedUpgrade resource, UpgradeInputs in) {
        String namespace = resource.getMetadata().getNamespace();
        for (ComponentSpec component : in.spec().components()) {
            Optional<String> violation = guard.violation(namespace, component);
            if (violation.isPresent()) {
                return Optional.of(StepResult.fail(UpgradeFailure.QuiesceViolated, violation.get()));
            }
        }
        List<String> roles = in.spec().quiesce().applicationRoles();
        if (!roles.isEmpty() && in.database() != null) {
            Map<String, Integer> open = new RoleSessions(adminConnection(resource, in)).open(roles);
            if (!open.isEmpty()) {
                return Optional.of(StepResult.fail(UpgradeFailure.QuiesceViolated, RoleSessions.describe(open)
                        + " opened during the upgrade, while the application should be stopped"));
            }
        }
        return Optional.empty();
    }

    private DbConnection adminConnection(ManagedUpgrade resource, UpgradeInputs in) {
        return databases.connection(resource.getMetadata().getNamespace(), in.database().getAdminSecretRef(),
                "spec.database.adminSecretRef");
    }

    /** The backup is a copy of the database as the application left it: only while nothing of it runs. */
    private StepResult backUp(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        try {
            Optional<StepResult> violation = quiesceViolation(resource, in);
            if (violation.isPresent()) {
                return violation.get();
            }
        } catch (IllegalArgumentException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage());
        } catch (DatabaseException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, "checking application sessions: " + e.getMessage());
        }
        return backup.take(resource, progress, in);
    }

    private StepResult migrate(ManagedUpgrade resource, ManagedUpgradeStatus status, UpgradeInputs in, int hop) {
        UpgradeProgress progress = status.getUpgrade();
        HopStatus step = progress.getHops().get(hop);
        Release release = release(in, step.version()).orElse(null);
        try {
            // A first install has nothing to quiesce: whatever runs is no release of the application.
            Optional<StepResult> violation = FirstInstall.isInstall(progress.getFrom()) ? Optional.empty()
                    : quiesceViolation(resource, in);
            if (violation.isPresent()) {
                return violation.get();
            }
            if (release == null || release.migrations() == null || in.database() == null) {
                return StepResult.done();
            }
            DbConnection db = adminConnection(resource, in);
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
            return migrationFailure(e, "migrating to " + step.version());
        }
    }

    /** A migration's DatabaseException as the step's typed failure. */
    static StepResult migrationFailure(DatabaseException e, String what) {
        UpgradeFailure reason = switch (e.kind()) {
            case LOCK_TIMEOUT -> UpgradeFailure.MigrationLockTimeout;
            case CONNECTION_FAILED -> UpgradeFailure.DatabaseUnreachable;
            default -> UpgradeFailure.MigrationFailed;
        };
        return StepResult.fail(reason, what + ": " + e.getMessage());
    }

    /** Contract done: the new version runs for good, so the originals saved for a rollback are forgotten. */
    private StepResult contract(ManagedUpgrade resource, ManagedUpgradeStatus status, UpgradeInputs in, int hop) {
        StepResult contracted = rolling.migratePhase(resource, status, in, hop, UpgradeStep.Contract);
        if (contracted instanceof StepResult.Done) {
            undo.forgetOriginals(resource, in);
        }
        return contracted;
    }

    /** What the failure rule needs to know about going back to the previous images (see {@link RollingHop}). */
    dev.slipway.core.upgrade.ImageRollback imageRollback(ManagedUpgrade resource, UpgradeProgress progress,
            UpgradeInputs in, int failedHop) {
        return rolling.imageRollback(resource, progress, in, failedHop);
    }

    private static String hopVersion(UpgradeProgress progress, int hop) {
        return progress.getHops().get(Math.min(hop, progress.getHops().size() - 1)).version();
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
        for (ComponentSpec component : in.spec().components()) {
            if (!workloads.scale(namespace, component, recordedReplicas(progress, component))) {
                return missingWorkload(component);
            }
        }
        StepResult rollout = rollout(resource, progress, in, in.spec().components(), "the application");
        if (!(rollout instanceof StepResult.Done)) {
            return rollout;
        }
        if (health.answers(resource.getSpec().getApplication().getHealthCheck())) {
            return StepResult.done();
        }
        Duration timeout = healthTimeout(resource);
        if (elapsed(progress).compareTo(timeout) > 0) {
            return StepResult.fail(UpgradeFailure.HealthCheckFailed, "the health check did not answer 2xx within "
                    + timeout.toSeconds() + "s");
        }
        return StepResult.pollAgain("health check");
    }

    /**
     * Done once every component rolled out (observedGeneration caught up, all replicas updated and available); a
     * failure when a Deployment's controller gave up (ProgressDeadlineExceeded, with its own message) or when
     * {@code healthCheck.timeout} passed; otherwise a wait that names the components still rolling out.
     */
    private StepResult rollout(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in,
            List<ComponentSpec> components, String what) {
        String namespace = resource.getMetadata().getNamespace();
        List<String> pending = new ArrayList<>();
        for (ComponentSpec component : components) {
            Optional<Workloads.WorkloadState> state = workloads.state(namespace, component);
            if (state.isEmpty()) {
                return missingWorkload(component);
            }
            if (state.get().rolloutFailure() != null) {
                return StepResult.fail(UpgradeFailure.RolloutFailed, workloadName(component) + ": "
                        + state.get().rolloutFailure());
            }
            if (!state.get().rolledOut()) {
                pending.add(component.getWorkload().getName() + " (" + state.get().availableReplicas() + "/"
                        + state.get().desiredReplicas() + " available, " + state.get().updatedReplicas() + " updated)");
            }
        }
        if (pending.isEmpty()) {
            return StepResult.done();
        }
        Duration timeout = healthTimeout(resource);
        if (elapsed(progress).compareTo(timeout) > 0) {
            return StepResult.fail(UpgradeFailure.RolloutTimeout, what + " did not become Ready within "
                    + timeout.toSeconds() + "s (spec.application.healthCheck.timeout): " + String.join(", ", pending));
        }
        return StepResult.waitFor("rollout of " + String.join(", ", pending));
    }

    /**
     * Puts the Ingress back, checkpoints when, and scales the page down {@code spec.maintenancePage.drainAfterRestore}
     * later: until controllers and load balancers have taken the restored Ingress, some visitors still reach the page.
     * The wait is a requeue at that exact moment, counted from the checkpoint, so a restarted operator keeps it.
     */
    private StepResult restoreTraffic(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        Duration drain = in.spec().pageTraffic().drainAfterRestore();
        if (progress.getTrafficRestoredAt() == null) {
            if (DatabaseBackup.markWritesSince(progress, clock.instant())) {
                return new StepResult.Checkpoint();
            }
            if (!ingress.restore(resource.getMetadata().getNamespace(), in.spec().ingressName(), savedIngress(progress))) {
                return StepResult.fail(UpgradeFailure.IngressMissing, "Ingress '" + in.spec().ingressName()
                        + "' was deleted; its original spec is kept in status.upgrade.originalIngress");
            }
            if (!drain.isZero()) {
                progress.setTrafficRestoredAt(clock.instant().toString());
                return new StepResult.Checkpoint();
            }
        } else {
            Duration remaining = drain.minus(Duration.between(Instant.parse(progress.getTrafficRestoredAt()),
                    clock.instant()));
            if (remaining.compareTo(Duration.ZERO) > 0) {
                return new StepResult.Wait(remaining, "visitors to leave the maintenance page ("
                        + KubeDuration.format(drain) + " spec.maintenancePage.drainAfterRestore)");
            }
        }
        pageDeployment.scaleDown(resource);
        return StepResult.done();
    }

    /** What the swap saved in status, for a restore that finds the Ingress's own copies gone. */
    static IngressSwap.Saved savedIngress(UpgradeProgress progress) {
        return new IngressSwap.Saved(progress.getOriginalIngress(), progress.getOriginalIngressAnnotations());
    }

    /** Restores what the upgrade changed before any migration committed: images, replicas, traffic, page. */
    StepResult rollBack(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in) {
        if (Boolean.TRUE.equals(progress.getCommitted())) {
            Optional<StepResult> refused = rolling.floorRefusal(resource, in, progress.getFrom());
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        if (DatabaseBackup.markWritesSince(progress, clock.instant())) {
            return new StepResult.Checkpoint();
        }
        return undo.rollBack(resource, progress, in,
                touched -> rollout(resource, progress, in, touched, "the previous version"));
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

    static Duration healthTimeout(ManagedUpgrade resource) {
        var check = resource.getSpec().getApplication().getHealthCheck();
        return check == null || check.getTimeout() == null ? DEFAULT_HEALTH_TIMEOUT
                : KubeDuration.parse(check.getTimeout(), "spec.application.healthCheck.timeout");
    }

    /** What the component ran before the upgrade; for a first install, what it starts with. */
    private static int recordedReplicas(UpgradeProgress progress, ComponentSpec component) {
        int recorded = UpgradeUndo.recorded(progress, component).map(ReplicaRecord::replicas).orElse(1);
        return FirstInstall.isInstall(progress.getFrom()) ? FirstInstall.replicas(component.getReplicas(), recorded)
                : recorded;
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
