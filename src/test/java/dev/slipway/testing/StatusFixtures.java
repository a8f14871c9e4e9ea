package dev.slipway.testing;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.DatabaseStatus;
import dev.slipway.api.v1alpha1.status.DriftFindingStatus;
import dev.slipway.api.v1alpha1.status.FeedPollStatus;
import dev.slipway.api.v1alpha1.status.HistoryEntry;
import dev.slipway.api.v1alpha1.status.HopStatus;
import dev.slipway.api.v1alpha1.status.MaintenanceStatus;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.api.v1alpha1.status.PlanStatus;
import dev.slipway.api.v1alpha1.status.ReplicaRecord;
import dev.slipway.api.v1alpha1.status.StepRecord;
import dev.slipway.api.v1alpha1.status.UpgradeProgress;
import dev.slipway.api.v1alpha1.status.WindowStatus;
import dev.slipway.core.plan.HopReason;
import dev.slipway.core.upgrade.UpgradeResult;
import dev.slipway.core.upgrade.UpgradeStep;
import dev.slipway.demo.SampleApplication;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.List;

/**
 * ManagedUpgrades with a status written directly (as the operator would have), for tests of what is derived from
 * status: the status API and the status metrics. The spec is the sample shop's, which names database Secrets.
 */
public final class StatusFixtures {

    /** Values that live only in the spec or the upgrade checkpoint and must never be shown by the status API. */
    public static final String SAVED_INGRESS_MARKER = "saved-ingress-backend-7f3c";

    private StatusFixtures() {
    }

    /** Creates (or replaces) the resource and then writes its status, as the operator's status updates do. */
    public static ManagedUpgrade createWithStatus(KubernetesClient client, String namespace, String name,
            ManagedUpgradeStatus status) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(NonDeletingOperation::update);
        ManagedUpgrade resource = new SampleApplication().managedUpgrade(namespace, name, "http://feed.invalid/releases");
        ManagedUpgrade created = client.resource(resource).createOr(NonDeletingOperation::update);
        created.setStatus(status);
        return client.resource(created).updateStatus();
    }

    /** Hop 2 of 2 of 1.0.0 → 2.0.0, migrating; the next window and one past upgrade known; the database verified. */
    public static ManagedUpgradeStatus upgrading() {
        ManagedUpgradeStatus status = new ManagedUpgradeStatus();
        status.setPhase(Phase.Upgrading);
        status.setCurrentVersion("1.0.0");
        status.setTargetVersion("2.0.0");
        status.setLatestVersion("2.0.1");
        status.setAvailableUpdates(List.of("1.1.0", "1.2.0", "2.0.0"));
        PlanStatus plan = new PlanStatus("2.0.0", List.of(hop("1.2.0", HopReason.RequiredStop, "3"),
                hop("2.0.0", HopReason.Target, "4")));
        status.setPlan(plan);
        UpgradeProgress upgrade = new UpgradeProgress();
        upgrade.setFrom("1.0.0");
        upgrade.setTo("2.0.0");
        upgrade.setHops(plan.hops());
        upgrade.setHop(1);
        upgrade.setStep(UpgradeStep.Migrate);
        upgrade.setStartedAt("2026-11-26T02:00:00Z");
        upgrade.setStepStartedAt("2026-11-26T02:03:00Z");
        upgrade.setOriginalIngress("{\"defaultBackend\":{\"service\":{\"name\":\"" + SAVED_INGRESS_MARKER + "\"}}}");
        upgrade.setReplicas(List.of(new ReplicaRecord("web", 2, null)));
        upgrade.setSteps(List.of(new StepRecord(UpgradeStep.Migrate, 0, "Migrate 1.2.0", "2026-11-26T02:01:00Z",
                "2026-11-26T02:02:00Z")));
        status.setUpgrade(upgrade);
        status.setMaintenance(new MaintenanceStatus(null, null, null, null, null,
                new WindowStatus("2026-11-28T01:00:00Z", "2026-11-28T05:00:00Z", "2026-11-28T02:00+01:00[Europe/Berlin]",
                        "2026-11-28T06:00+01:00[Europe/Berlin]", null, null), null, null, null));
        status.setLastFeedPoll(new FeedPollStatus("2026-11-26T01:59:00Z", "Ok", "\"e1\"", null, null));
        status.setHistory(List.of(new HistoryEntry("0.9.0", "1.0.0", List.of("1.0.0"), "2026-10-01T02:00:00Z",
                "2026-10-01T02:10:00Z", UpgradeResult.Succeeded, null, null, null,
                List.of(new StepRecord(UpgradeStep.Migrate, 0, "Migrate 1.0.0", "2026-10-01T02:01:00Z",
                        "2026-10-01T02:05:00Z")), null, "alice")));
        status.setDatabase(new DatabaseStatus("2026-11-26T01:59:30Z", "3", List.of(
                finding("MissingColumn", "public.orders.total", "Blocking", "column is missing",
                        "ALTER TABLE public.orders ADD COLUMN total numeric"),
                finding("ExtraIndex", "public.orders_by_day", "Warning", "index is not expected",
                        "DROP INDEX public.orders_by_day")), 2, true));
        return status;
    }

    public static ManagedUpgradeStatus upToDate(String version) {
        ManagedUpgradeStatus status = new ManagedUpgradeStatus();
        status.setPhase(Phase.UpToDate);
        status.setCurrentVersion(version);
        status.setLatestVersion(version);
        status.setAvailableUpdates(List.of());
        return status;
    }

    /** A step record as the executor writes it, from its display name ("Migrate 1.2.0" is a hop's step). */
    public static StepRecord step(String name, String startedAt, String finishedAt) {
        String[] words = name.split(" ");
        return new StepRecord(UpgradeStep.valueOf(words[0]), words.length > 1 ? 0 : null, name, startedAt, finishedAt);
    }

    private static HopStatus hop(String version, HopReason reason, String schemaVersion) {
        return new HopStatus(version, reason, schemaVersion);
    }

    private static DriftFindingStatus finding(String category, String object, String severity, String problem,
            String statement) {
        return new DriftFindingStatus(category, object, severity, problem, List.of(statement));
    }
}
