package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.page.PageStatus;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.ActionsSpec;
import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.core.plan.HopReason;
import dev.slipway.core.upgrade.UpgradeFailure;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.database.PgSchemaReader;
import dev.slipway.database.SnapshotJson;
import dev.slipway.demo.SampleApplication;
import dev.slipway.demo.SimulatedKubelet;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.ShopFixture;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The managed upgrade end to end, on the CRUD API server with a real PostgreSQL and a real Release API; the test's
 * simulated kubelet makes workloads Ready.
 */
@QuarkusTest
@WithKubernetesTestServer
class ManagedUpgradeOperatorTest extends OperatorTestBase {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private SimulatedKubelet kubelet;
    private ShopFixture shop;

    @BeforeEach
    void startKubelet() {
        kubelet = new SimulatedKubelet(client).start();
    }

    @AfterEach
    void stop() {
        kubelet.close();
        if (shop != null) {
            shop.close();
        }
    }

    private ShopFixture shop(SampleApplication application) throws Exception {
        shop = new ShopFixture(client, "shop-" + NAMESPACES.incrementAndGet(), application);
        return shop;
    }

    @Test
    void threeHopUpgradeWithARequiredStopEndsAtTheTargetWithTrafficAndReplicasRestored() throws Exception {
        ShopFixture shop = shop(new SampleApplication().appendToMigration("1.2.0", "\nSELECT pg_sleep(1);"));
        Ingress original = shop.ingress();
        ManagedUpgrade resource = shop.resource("shop");
        // someone paused and resumed it with the CLI once: with Automatic approval the start is still the policy's
        resource.getMetadata().setAnnotations(Map.of(SpecChange.REQUESTED_BY, "carol"));
        client.resource(resource).create();

        ManagedUpgrade done = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getHistory() != null
                && !r.getStatus().getHistory().isEmpty());
        assertThat(done.getStatus().getHistory()).singleElement().satisfies(entry -> {
            assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded);
            assertThat(entry.requestedBy()).as("started by the Automatic policy, not by a person").isNull();
            assertThat(entry.path()).containsExactly("1.1.0", "1.2.0", "2.0.0");
            assertThat(entry.steps()).extracting("name").contains("Migrate 1.1.0", "StartStop 1.1.0",
                    "Migrate 2.0.0", "RestoreTraffic");
            // the timeline (and the page's ETA from it) counts a step's work: this migration sleeps a second
            assertThat(entry.steps()).filteredOn(step -> step.name().equals("Migrate 1.2.0")).singleElement()
                    .satisfies(step -> assertThat(Duration.between(Instant.parse(step.startedAt()),
                            Instant.parse(step.finishedAt()))).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        });
        assertThat(done.getStatus().getCurrentVersion()).isEqualTo("2.0.0");
        assertThat(done.getStatus().getUpgrade()).isNull();
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "2.0.0"));
        assertThat(shop.image("worker")).isEqualTo(SampleApplication.image("worker", "2.0.0"));
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(shop.replicas("worker")).isEqualTo(1);
        Ingress restored = shop.ingress();
        assertThat(client.getKubernetesSerialization().asJson(restored.getSpec()))
                .isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
        assertThat(restored.getMetadata().getAnnotations()).doesNotContainKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
        assertThat(shop.replicas("shop-maintenance")).isZero();

        awaitStatus(shop.namespace, "shop", r -> r.getStatus().getPhase() == Phase.UpToDate);
        assertThat(client.v1().events().inNamespace(shop.namespace).list().getItems())
                .extracting(e -> e.getReason()).contains("UpgradeStarted", "StepStarted", "StepCompleted", "UpgradeSucceeded");
    }

    @Test
    void failingMigrationInTheFirstHopRollsBackAndRestoresTheApplication() throws Exception {
        ShopFixture shop = shop(new SampleApplication().breakMigration("1.1.0"));
        Ingress original = shop.ingress();
        client.resource(shop.resource("shop")).create();

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);
        assertThat(failed.getStatus().getPhase()).isEqualTo(Phase.Failed);
        assertThat(failed.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.MigrationFailed);
        assertThat(failed.getStatus().getUpgrade().getFailureMessage()).contains("1.1.0");
        assertThat(failed.getStatus().getHistory()).singleElement().extracting("result").isEqualTo(UpgradeResult.RolledBack);
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        assertThat(shop.replicas("web")).isEqualTo(2);
        assertThat(client.getKubernetesSerialization().asJson(shop.ingress().getSpec()))
                .isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
    }

    @Test
    void failingMigrationInTheSecondHopHoldsTheApplicationBehindThePageUntilAbandoned() throws Exception {
        ShopFixture shop = shop(new SampleApplication().breakMigration("1.2.0"));
        Ingress original = shop.ingress();
        client.resource(shop.resource("shop")).create();

        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.Failed);
        assertThat(failed.getStatus().getPhase()).isEqualTo(Phase.Failed);
        assertThat(failed.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.Migrate);
        assertThat(failed.getStatus().getUpgrade().getFailedHop()).as("the hop of 1.2.0").isEqualTo(1);
        assertThat(failed.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Failing");
            assertThat(c.getReason()).isEqualTo("MigrationFailed");
        });
        assertThat(shop.appliedMigrations()).containsExactly("1", "2");
        // One story in status: the database is where the committed hop left it, nothing claims an upgrade is still
        // running, and versions the database has passed are no longer offered.
        assertThat(failed.getStatus().getDatabase().schemaVersion()).isEqualTo("2");
        assertThat(failed.getStatus().getAvailableUpdates()).doesNotContain("1.1.0").contains("1.2.0", "2.0.0");
        assertThat(failed.getStatus().getConditions()).filteredOn(c -> "Available".equals(c.getType())).singleElement()
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("BehindMaintenancePage"));
        assertThat(failed.getStatus().getConditions()).filteredOn(c -> "Progressing".equals(c.getType())).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).doesNotContain("being upgraded").contains("spec.actions.retry"));
        assertThat(shop.ingress().getMetadata().getAnnotations()).containsKey(IngressSwap.ORIGINAL_SPEC_ANNOTATION);
        assertThat(shop.ingress().getSpec().getDefaultBackend().getService().getName()).isEqualTo("shop-maintenance");
        ConfigMap page = client.configMaps().inNamespace(shop.namespace).withName("shop-maintenance").get();
        PageStatus shown = PageStatus.fromJson(page.getData().get(PageStatus.CONFIG_MAP_KEY)).orElseThrow();
        assertThat(shown.phase()).isEqualTo(PageStatus.Phase.FAILED);
        assertThat(shown.toJson()).doesNotContain(shop.database.password()).doesNotContain("no_such_table");

        editSpec(shop.namespace, "shop", r -> {
            r.getSpec().setActions(new ActionsSpec());
            r.getSpec().getActions().setAbandon("give-up-1");
        });
        ManagedUpgrade abandoned = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getHistory() != null
                && r.getStatus().getHistory().stream().anyMatch(h -> h.result() == UpgradeResult.Abandoned));
        assertThat(client.getKubernetesSerialization().asJson(shop.ingress().getSpec()))
                .isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
        assertThat(shop.replicas("web")).isEqualTo(2);
        PageStatus afterAbandon = PageStatus.fromJson(client.configMaps().inNamespace(shop.namespace)
                .withName("shop-maintenance").get().getData().get(PageStatus.CONFIG_MAP_KEY)).orElseThrow();
        assertThat(afterAbandon.phase()).as("the page no longer claims the application is down")
                .isEqualTo(PageStatus.Phase.RESTORED);

        // The abandoned target is not started again by itself: more reconciles (a spec change) leave it alone.
        editSpec(shop.namespace, "shop", r -> r.getSpec().getPolicy().setMinReleaseAge("1s"));
        long generation = get(shop.namespace, "shop").getMetadata().getGeneration();
        ManagedUpgrade settled = awaitStatus(shop.namespace, "shop",
                r -> r.getStatus().getObservedGeneration() != null && r.getStatus().getObservedGeneration() >= generation);
        assertThat(settled.getStatus().getUpgrade().getResult()).isEqualTo(UpgradeResult.Abandoned);
        assertThat(settled.getStatus().getPhase()).isEqualTo(Phase.Failed);
        assertThat(settled.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Progressing");
            assertThat(c.getReason()).isEqualTo("Abandoned");
            assertThat(c.getMessage()).contains("spec.actions.retry");
        });
        assertThat(shop.appliedMigrations()).containsExactly("1", "2");
        assertThat(client.getKubernetesSerialization().asJson(shop.ingress().getSpec()))
                .isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
        assertThat(client.v1().events().inNamespace(shop.namespace).list().getItems())
                .filteredOn(e -> "UpgradeStarted".equals(e.getReason())).hasSize(1);
    }

    @Test
    void aMisspeltContainerStopsThePreflightBeforeAnythingChanges() throws Exception {
        ShopFixture shop = shop(new SampleApplication());
        Ingress original = shop.ingress();
        ManagedUpgrade resource = shop.resource("shop");
        resource.getSpec().getApplication().getComponents().get(0).setContainer("wbe");
        // With the container misnamed, no running image matches a release: the stated version is what runs.
        resource.getSpec().getApplication().setInstalledVersion("1.0.0");
        client.resource(resource).create();

        ManagedUpgrade stopped = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);
        assertThat(stopped.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.Preflight);
        assertThat(stopped.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.ContainerMissing);
        assertThat(stopped.getStatus().getUpgrade().getFailureMessage()).contains("'wbe'")
                .contains("components[web].container").contains("its containers are web");
        assertThat(stopped.getStatus().getUpgrade().getCommitted()).isFalse();
        assertThat(shop.appliedMigrations()).containsExactly("1");
        assertThat(shop.image("web")).isEqualTo(SampleApplication.image("web", "1.0.0"));
        assertThat(client.getKubernetesSerialization().asJson(shop.ingress().getSpec()))
                .isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
    }

    @Test
    void anUnexpectedErrorIsShownAsAFailingConditionWithItsMessage() throws Exception {
        ShopFixture shop = shop(new SampleApplication());
        ManagedUpgrade resource = shop.resource("shop");
        resource.getSpec().getPolicy().setPaused(true);
        client.resource(resource).create();
        ManagedUpgrade paused = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getPhase() == Phase.Paused);
        // Someone edited the saved Ingress spec by hand while traffic was on the page: restoring it cannot parse it.
        client.network().v1().ingresses().inNamespace(shop.namespace).withName("shop")
                .edit(ingress -> {
                    ingress.getMetadata().getAnnotations().put(IngressSwap.ORIGINAL_SPEC_ANNOTATION, "{not json");
                    return ingress;
                });
        client.resources(ManagedUpgrade.class).inNamespace(shop.namespace).withName("shop").editStatus(r -> {
            UpgradeProgress progress = new UpgradeProgress();
            progress.setFrom("1.0.0");
            progress.setTo("1.1.0");
            progress.setHops(List.of(new HopStatus("1.1.0", HopReason.Target, "2")));
            progress.setStep(UpgradeStep.RestoreTraffic);
            progress.setHop(0);
            progress.setStartedAt(paused.getMetadata().getCreationTimestamp());
            progress.setStepStartedAt(paused.getMetadata().getCreationTimestamp());
            progress.setCommitted(true);
            progress.setSteps(new java.util.ArrayList<>(List.of(new StepRecord(UpgradeStep.RestoreTraffic, null,
                    "RestoreTraffic", paused.getMetadata().getCreationTimestamp(), null))));
            r.getStatus().setUpgrade(progress);
            return r;
        });
        editSpec(shop.namespace, "shop", r -> r.getSpec().getPolicy().setPaused(false));

        ManagedUpgrade failing = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getConditions().stream()
                .anyMatch(c -> "Failing".equals(c.getType()) && "ReconcileError".equals(c.getReason())));
        assertThat(failing.getStatus().getConditions()).filteredOn(c -> "Failing".equals(c.getType())).singleElement()
                .satisfies(c -> {
                    assertThat(c.getStatus()).isEqualTo("True");
                    assertThat(c.getMessage()).isNotBlank().doesNotContain("\tat ");
                });
        assertThat(failing.getStatus().getUpgrade().getSteps()).as("writing the condition keeps the checkpoint")
                .extracting("name").containsExactly("RestoreTraffic");
    }

    @Test
    void blockingSchemaDriftStopsTheUpgradeBeforeAnythingChanges() throws Exception {
        ShopFixture shop = shop(new SampleApplication());
        shop.application.publishSnapshot("1.0.0", SnapshotJson.write(PgSchemaReader.read(shop.database.connection(),
                List.of("public"))));
        shop.database.execute("ALTER TABLE orders ALTER COLUMN total_cents TYPE numeric");
        client.resource(shop.resource("shop")).create();

        ManagedUpgrade stopped = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);
        assertThat(stopped.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.BlockingDrift);
        assertThat(stopped.getStatus().getUpgrade().getFailedStep()).isEqualTo(UpgradeStep.Preflight);
        assertThat(stopped.getStatus().getDatabase().blocking()).isTrue();
        assertThat(stopped.getStatus().getDatabase().findings()).anySatisfy(finding -> {
            assertThat(finding.object()).contains("total_cents");
            assertThat(finding.severity()).isEqualTo("Blocking");
        });
        assertThat(stopped.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("DatabaseVerified");
            assertThat(c.getStatus()).isEqualTo("False");
        });
        assertThat(client.apps().deployments().inNamespace(shop.namespace).withName("shop-maintenance").get()).isNull();
        assertThat(shop.appliedMigrations()).containsExactly("1");
    }

    @Test
    void aChecksumMismatchInFlywayHistoryBlocksTheUpgradeBeforeAnythingChanges() throws Exception {
        ShopFixture shop = shop(new SampleApplication());
        shop.database.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
        client.resource(shop.resource("shop")).create();

        ManagedUpgrade stopped = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);
        assertThat(stopped.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.DatabaseNotVerified);
        assertThat(stopped.getStatus().getUpgrade().getFailureMessage()).contains("1.0.0").containsIgnoringCase("checksum");
        assertThat(client.apps().deployments().inNamespace(shop.namespace).withName("shop-maintenance").get()).isNull();
        assertThat(shop.appliedMigrations()).containsExactly("1");
    }

    @Test
    void autoFixRestoresAMissingDefaultInPreflightAndRecordsTheStatement() throws Exception {
        ShopFixture shop = shop(new SampleApplication());
        shop.application.publishSnapshot("1.0.0", SnapshotJson.write(PgSchemaReader.read(shop.database.connection(),
                List.of("public"))));
        shop.database.execute("ALTER TABLE orders ALTER COLUMN id DROP DEFAULT");
        ManagedUpgrade resource = shop.resource("shop");
        resource.getSpec().getDatabase().setAutoFix(true);
        client.resource(resource).create();

        ManagedUpgrade done = awaitStatus(shop.namespace, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion())
                && r.getStatus().getUpgrade() == null);
        assertThat(done.getStatus().getHistory()).singleElement().satisfies(entry -> assertThat(entry.appliedFixes())
                .singleElement().asString().contains("ALTER TABLE").contains("SET DEFAULT"));
        assertThat(done.getStatus().getDatabase().blocking()).isFalse();
    }

    @Test
    void unreachableDatabaseAtPreflightPutsUpNoMaintenancePage() throws Exception {
        ShopFixture shop = shop(new SampleApplication());
        client.secrets().inNamespace(shop.namespace).withName(SampleApplication.DB_SECRET)
                .edit(secret -> {
                    secret.setData(null);
                    secret.setStringData(java.util.Map.of("url", "jdbc:postgresql://127.0.0.1:1/shop",
                            "username", "shop", "password", "s3cret-never-shown"));
                    return secret;
                });
        client.resource(shop.resource("shop")).create();

        ManagedUpgrade stopped = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.RolledBack);
        assertThat(stopped.getStatus().getUpgrade().getFailureReason()).isEqualTo(UpgradeFailure.DatabaseUnreachable);
        assertThat(stopped.getStatus().getUpgrade().getFailureMessage()).contains("cannot connect")
                .doesNotContain("s3cret-never-shown");
        assertThat(client.apps().deployments().inNamespace(shop.namespace).withName("shop-maintenance").get()).isNull();
    }

    @Test
    void aHeldFailureIsRetriedFromTheFailedStepOnceTheVendorFixesTheRelease() throws Exception {
        ShopFixture shop = shop(new SampleApplication().breakMigration("1.2.0"));
        Ingress original = shop.ingress();
        ManagedUpgrade resource = shop.resource("shop");
        resource.getSpec().getReleaseSource().setPollInterval("5s");
        client.resource(resource).create();
        ManagedUpgrade failed = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getResult() == UpgradeResult.Failed);
        String etagOfBrokenFeed = failed.getStatus().getLastFeedPoll().etag();

        shop.application.repairMigration("1.2.0");
        awaitStatus(shop.namespace, "shop", r -> !etagOfBrokenFeed.equals(r.getStatus().getLastFeedPoll().etag()));
        editSpec(shop.namespace, "shop", r -> {
            r.getSpec().setActions(new ActionsSpec());
            r.getSpec().getActions().setRetry("after-vendor-fix");
        });

        ManagedUpgrade done = awaitStatus(shop.namespace, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion())
                && r.getStatus().getUpgrade() == null);
        assertThat(done.getStatus().getHistory()).singleElement().satisfies(entry -> {
            assertThat(entry.result()).isEqualTo(UpgradeResult.Succeeded);
            assertThat(entry.steps()).extracting("name").containsOnlyOnce("Migrate 1.1.0");
        });
        assertThat(done.getStatus().getHandledActions().getRetry()).isEqualTo("after-vendor-fix");
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
        assertThat(client.getKubernetesSerialization().asJson(shop.ingress().getSpec()))
                .isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
    }

    @Test
    void manualApprovalWaitsForTheApprovedVersion() throws Exception {
        ShopFixture shop = shop(new SampleApplication());
        ManagedUpgrade resource = shop.resource("shop");
        resource.getSpec().getPolicy().setApproval(Approval.Manual);
        resource.getSpec().getPolicy().setApprovedVersion("1.2.0");
        client.resource(resource).create();

        ManagedUpgrade waiting = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getPhase() == Phase.WaitingForApproval);
        assertThat(waiting.getStatus().getTargetVersion()).isEqualTo("2.0.0");
        assertThat(shop.appliedMigrations()).containsExactly("1");

        // an approval bound to a plan that is not the current one does not start it
        editSpec(shop.namespace, "shop", r -> {
            r.getSpec().getPolicy().setApprovedVersion("2.0.0");
            r.getSpec().getPolicy().setApprovedPlanHash("0123456789abcdef");
        });
        ManagedUpgrade stale = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getConditions().stream()
                .anyMatch(c -> "PlanChanged".equals(c.getReason())));
        assertThat(stale.getStatus().getPhase()).isEqualTo(Phase.WaitingForApproval);
        String planHash = stale.getStatus().getPlan().hash();
        assertThat(planHash).hasSize(16);
        assertThat(shop.appliedMigrations()).containsExactly("1");

        // what `slipway approve` and the console send: the spec change, the plan seen and who asked, in one patch
        editSpec(shop.namespace, "shop", r -> {
            r.getSpec().getPolicy().setApprovedPlanHash(planHash);
            r.getMetadata().setAnnotations(Map.of(SpecChange.REQUESTED_BY, "alice"));
        });
        ManagedUpgrade done = awaitStatus(shop.namespace, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion()));
        assertThat(shop.appliedMigrations()).containsExactly("1", "2", "3", "4");
        assertThat(done.getStatus().getHistory()).last().extracting(HistoryEntry::requestedBy).isEqualTo("alice");
        assertThat(client.v1().events().inNamespace(shop.namespace).list().getItems())
                .filteredOn(event -> "UpgradeStarted".equals(event.getReason())).singleElement()
                .extracting(Event::getMessage).asString().endsWith(", requested by alice");
    }

    @Test
    void pausedUpgradeStopsBetweenStepsAndResumesWhenUnpaused() throws Exception {
        ShopFixture shop = shop(new SampleApplication());
        kubelet.neverReady(shop.namespace, "shop-maintenance");
        client.resource(shop.resource("shop")).create();
        awaitStatus(shop.namespace, "shop", r -> r.getStatus().getUpgrade() != null
                && r.getStatus().getUpgrade().getStep() == UpgradeStep.PageUp);

        editSpec(shop.namespace, "shop", r -> r.getSpec().getPolicy().setPaused(true));
        awaitStatus(shop.namespace, "shop", r -> r.getStatus().getConditions().stream()
                .anyMatch(c -> c.getMessage().contains("pausing when this step completes")));
        kubelet.close();
        kubelet = new SimulatedKubelet(client).start();
        ManagedUpgrade paused = awaitStatus(shop.namespace, "shop", r -> r.getStatus().getPhase() == Phase.Paused);
        assertThat(paused.getStatus().getUpgrade().getStep()).isEqualTo(UpgradeStep.SwapTraffic);
        assertThat(shop.ingress().getMetadata().getAnnotations()).isNullOrEmpty();

        editSpec(shop.namespace, "shop", r -> r.getSpec().getPolicy().setPaused(false));
        awaitStatus(shop.namespace, "shop", r -> "2.0.0".equals(r.getStatus().getCurrentVersion()));
    }
}
