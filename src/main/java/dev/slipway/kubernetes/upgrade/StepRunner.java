package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.status.PlanStepStatus;
import dev.slipway.api.v1alpha1.status.ReplicaRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.artifacts.ArtifactStore;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.core.KubeDuration;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.core.migration.VerificationReport;
import dev.slipway.core.schema.DriftFinding;
import dev.slipway.core.schema.SchemaSnapshot;
import dev.slipway.core.schema.Severity;
import dev.slipway.database.DatabaseVerifier;
import dev.slipway.database.DriftFixer;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeSequence;
import dev.slipway.core.upgrade.UpgradeSequence.Position;
import dev.slipway.kubernetes.EventReason;
import dev.slipway.kubernetes.EventRecorder;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
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
    private final SlipwayConfig config;
    private final EventRecorder events;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public StepRunner(Workloads workloads, IngressSwap ingress, PageAccess pageAccess, PageService pageService,
            PageDeployment pageDeployment, ArtifactStore bundles, DatabaseAccess databases, SlipwayConfig config,
            EventRecorder events, Clock clock) {
        this.workloads = workloads;
        this.ingress = ingress;
        this.pageAccess = pageAccess;
        this.pageService = pageService;
        this.pageDeployment = pageDeployment;
        this.bundles = bundles;
        this.databases = databases;
        this.config = config;
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
            case Migrate -> migrate(resource, progress, in, position.hop());
            case RollImages -> rollImages(resource, progress, in, position.hop());
            case StartStop -> start(resource, progress, in);
            case Resume -> forgetOriginalsWhenDone(start(resource, progress, in), resource, in);
            case QuiesceStop -> quiesce(resource, progress, in);
            case RestoreTraffic -> restoreTraffic(resource, progress, in);
            case RollBack -> rollBack(resource, progress, in);
            case Record -> {
                bundles.release(owner(resource));
                yield StepResult.done();
            }
        };
    }

    private StepResult preflight(ManagedUpgrade resource, ManagedUpgradeStatus status, UpgradeInputs in) {
        UpgradeProgress progress = status.getUpgrade();
        String namespace = resource.getMetadata().getNamespace();
        for (ComponentSpec component : in.spec().components()) {
            if (workloads.state(namespace, component).isEmpty()) {
                return missingWorkload(component);
            }
        }
        Optional<String> ingressProblem = ingress.problem(namespace, in.spec().ingressName());
        if (ingressProblem.isPresent()) {
            return StepResult.fail(UpgradeFailure.IngressMissing, ingressProblem.get());
        }
        for (PlanStepStatus hop : progress.getHops()) {
            Optional<Release> release = release(in, hop.getVersion());
            if (release.isEmpty()) {
                return StepResult.fail(UpgradeFailure.BundleUnavailable, "release " + hop.getVersion()
                        + " is no longer in the feed");
            }
            for (ComponentSpec component : in.spec().components()) {
                String image = release.get().images().get(component.getName());
                if (image == null) {
                    return StepResult.fail(UpgradeFailure.ImageMissing, "release " + hop.getVersion()
                            + " has no image for component " + component.getName());
                }
                if (requireDigests(resource) && !image.contains("@sha256:")) {
                    return StepResult.fail(UpgradeFailure.ImageMissing, "release " + hop.getVersion() + " image of "
                            + component.getName() + " is not pinned by digest (spec.releaseSource.requireDigests)");
                }
            }
            if (release.get().migrations() != null) {
                try {
                    bundles.migrations(in.source(), owner(resource), release.get());
                } catch (FeedException e) {
                    return StepResult.fail(UpgradeFailure.BundleUnavailable, "migration bundle of " + hop.getVersion()
                            + ": " + e.getMessage());
                }
            }
        }
        return in.database() == null ? StepResult.done() : verifyDatabase(resource, status, in);
    }

    /**
     * VerifyDatabase: the admin connection must work (migrations need it); Flyway history and schema drift are read
     * over the read-only connection when one is given. The findings go to status.database either way.
     */
    private StepResult verifyDatabase(ManagedUpgrade resource, ManagedUpgradeStatus status, UpgradeInputs in) {
        UpgradeProgress progress = status.getUpgrade();
        String namespace = resource.getMetadata().getNamespace();
        DbConnection admin;
        DbConnection reader;
        try {
            admin = databases.connection(namespace, in.database().getAdminSecretRef(), "spec.database.adminSecretRef");
            reader = in.database().getReadOnlySecretRef() == null ? admin : databases.connection(namespace,
                    in.database().getReadOnlySecretRef(), "spec.database.readOnlySecretRef");
        } catch (IllegalArgumentException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage());
        }
        for (DbConnection db : admin == reader ? List.of(admin) : List.of(admin, reader)) {
            try (Connection ignored = db.open()) {
                LOG.debugf("database of %s reachable as %s", resource.getMetadata().getName(), db.username());
            } catch (SQLException e) {
                return StepResult.fail(UpgradeFailure.DatabaseUnreachable, "cannot connect to the database "
                        + db.redactedUrl() + " as " + db.username() + " (SQL state " + e.getSQLState() + ")");
            }
        }
        // Bundles are cumulative: a release without schema changes is described by the newest release at or below
        // it that ships migrations.
        Semver from = Semver.parse(progress.getFrom());
        Optional<Release> installed = in.catalog().releases().stream()
                .filter(r -> r.migrations() != null && from != null && r.version().compareTo(from) <= 0)
                .reduce((lower, higher) -> higher);
        if (installed.isEmpty()) {
            return StepResult.done();
        }
        try {
            Release baseline = installed.get();
            VerificationReport report = verifyAgainst(baseline, resource, reader, in);
            Optional<Release> reached = report.migrations().unknownApplied().isEmpty() ? Optional.empty()
                    : hopAt(report.migrations().currentVersion(), progress, in);
            if (reached.isPresent()) {
                // Verified against the hop the database is at, never the older release: drift "fixes" computed
                // against the older schema would undo that hop's migrations.
                baseline = reached.get();
                report = verifyAgainst(baseline, resource, reader, in);
                progress.setCommitted(true);
                events.warning(resource, EventReason.UpgradeResumed, "the database is already at schema "
                        + report.migrations().currentVersion() + " of release " + baseline.version() + ": an earlier"
                        + " run of this upgrade migrated it and its checkpoint was lost; going on from there (a failure"
                        + " now holds behind the maintenance page instead of rolling back)");
            }
            if (Boolean.TRUE.equals(in.database().getAutoFix()) && report.count(Severity.FIXABLE) > 0) {
                // Only additive statements, each in its own transaction; then verify again so status shows the result.
                List<String> applied = DriftFixer.apply(admin, report.findings(), false, statement -> {
                }).stream().filter(DriftFixer.AppliedStatement::applied).map(DriftFixer.AppliedStatement::statement).toList();
                progress.setAppliedFixes(applied);
                report = verifyAgainst(baseline, resource, reader, in);
            }
            status.setDatabase(DatabaseStatusFactory.from(report, clock.instant()));
            if (!report.migrations().isValid()) {
                return StepResult.fail(UpgradeFailure.DatabaseNotVerified, "the database's migration history does not "
                        + "match release " + baseline.version() + ": " + String.join("; ", report.migrations().problems()));
            }
            if (report.blocking()) {
                DriftFinding first = report.findings().stream().filter(DriftFinding::isBlocking).findFirst().orElseThrow();
                return StepResult.fail(UpgradeFailure.BlockingDrift, report.count(Severity.BLOCKING)
                        + " blocking schema drift finding(s), first: " + first.object() + ": " + first.problem()
                        + " (see status.database)");
            }
        } catch (FeedException e) {
            return StepResult.fail(UpgradeFailure.BundleUnavailable, "release artifacts of the installed version "
                    + progress.getFrom() + ": " + e.getMessage());
        } catch (DatabaseException e) {
            return StepResult.fail(UpgradeFailure.DatabaseUnreachable, e.getMessage());
        }
        return StepResult.done();
    }

    /** Flyway history and, when the release publishes a schema snapshot, drift: the database against one release. */
    private VerificationReport verifyAgainst(Release release, ManagedUpgrade resource, DbConnection reader,
            UpgradeInputs in) throws FeedException {
        Path migrations = bundles.migrations(in.source(), owner(resource), release);
        Optional<SchemaSnapshot> expected = bundles.snapshot(in.source(), owner(resource), release);
        return expected.isPresent()
                ? DatabaseVerifier.verify(reader, migrations, expected.get(), in.database().getSchemas())
                : new VerificationReport(new FlywayMigrator(reader, migrations).inSchemas(in.database().getSchemas())
                        .info(), List.of());
    }

    /** The release of the plan's hop whose schema the database is at, if an earlier run migrated it there. */
    private static Optional<Release> hopAt(String databaseVersion, UpgradeProgress progress, UpgradeInputs in) {
        List<PlanStepStatus> hops = progress.getHops();
        OptionalInt hop = UpgradeSequence.hopMigratedByAnEarlierRun(databaseVersion,
                hops.stream().map(PlanStepStatus::getSchemaVersion).toList(), FlywayMigrator::sameVersion);
        return hop.isEmpty() ? Optional.empty() : release(in, hops.get(hop.getAsInt()).getVersion());
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
                ReplicaRecord record = new ReplicaRecord();
                record.setComponent(component.getName());
                record.setReplicas(original.get().replicas());
                record.setImage(original.get().image());
                records.add(record);
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

    private StepResult migrate(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in, int hop) {
        PlanStepStatus step = progress.getHops().get(hop);
        Release release = release(in, step.getVersion()).orElse(null);
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
            return StepResult.fail(reason, "migrating to " + step.getVersion() + ": " + e.getMessage());
        }
    }

    private StepResult rollImages(ManagedUpgrade resource, UpgradeProgress progress, UpgradeInputs in, int hop) {
        String version = progress.getHops().get(hop).getVersion();
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
        if (rolledOut && healthy(resource)) {
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
        String namespace = resource.getMetadata().getNamespace();
        if (progress.getReplicas() != null) {
            for (ComponentSpec component : in.spec().components()) {
                progress.getReplicas().stream().filter(r -> r.getComponent().equals(component.getName())).findFirst()
                        .ifPresent(record -> {
                            if (record.getImage() != null) {
                                workloads.setImage(namespace, component, record.getImage());
                            }
                            workloads.scale(namespace, component, record.getReplicas());
                        });
            }
        }
        ingress.restore(namespace, in.spec().ingressName(), progress.getOriginalIngress());
        pageDeployment.scaleDown(resource);
        return forgetOriginalsWhenDone(StepResult.done(), resource, in);
    }

    /** Once the application runs as it should, the originals saved on the workloads have served their purpose. */
    StepResult forgetOriginalsWhenDone(StepResult result, ManagedUpgrade resource, UpgradeInputs in) {
        if (result instanceof StepResult.Done) {
            in.spec().components().forEach(c -> workloads.forgetOriginal(resource.getMetadata().getNamespace(), c));
        }
        return result;
    }

    private boolean healthy(ManagedUpgrade resource) {
        var check = resource.getSpec().getApplication().getHealthCheck();
        if (check == null || check.getUrl() == null) {
            return true;
        }
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(check.getUrl()))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        return progress.getReplicas().stream().filter(r -> r.getComponent().equals(component.getName()))
                .map(ReplicaRecord::getReplicas).findFirst().orElse(1);
    }

    private Duration elapsed(UpgradeProgress progress) {
        return progress.getStepStartedAt() == null ? Duration.ZERO
                : Duration.between(Instant.parse(progress.getStepStartedAt()), clock.instant());
    }

    private static Optional<Release> release(UpgradeInputs in, String version) {
        Semver semver = Semver.parse(version);
        return semver == null ? Optional.empty() : in.catalog().find(semver);
    }

    private static String owner(ManagedUpgrade resource) {
        return resource.getMetadata().getNamespace() + "_" + resource.getMetadata().getName();
    }

    private static StepResult missingWorkload(ComponentSpec component) {
        String kind = component.getWorkload().getKind() == null ? "Deployment" : component.getWorkload().getKind().name();
        return StepResult.fail(UpgradeFailure.WorkloadMissing, kind + " '" + component.getWorkload().getName()
                + "' of component " + component.getName() + " does not exist");
    }
}
