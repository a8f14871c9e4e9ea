package dev.slipway.bench;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.Approval;
import dev.slipway.api.v1alpha1.spec.ComponentSpec;
import dev.slipway.api.v1alpha1.spec.MaintenanceSpec;
import dev.slipway.api.v1alpha1.spec.WindowSpec;
import dev.slipway.api.v1alpha1.status.Phase;
import dev.slipway.demo.SampleApplication;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code size} installations of the sample shop spread over up to 100 namespaces, each with its own two Deployments
 * and a ManagedUpgrade following one of the given feeds (round robin) with a short poll interval and a weekly
 * maintenance window. None of them may start an upgrade, whenever the benchmark runs: two thirds run the newest release
 * (2.0.0, phase UpToDate); one third run 1.2.0 under manual approval (2.0.0 planned, phase WaitingForApproval).
 */
record ShopFleet(Map<String, Phase> expectedPhases) {

    static final int MAX_NAMESPACES = 100;
    private static final SampleApplication SHOP = new SampleApplication();

    static ShopFleet create(KubernetesClient client, int size, List<String> feedUrls, Duration pollInterval) {
        int namespaces = Math.min(size, MAX_NAMESPACES);
        for (int n = 0; n < namespaces; n++) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace(n)).endMetadata()
                    .build()).create();
        }
        Map<String, Phase> expected = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String namespace = namespace(i % namespaces);
            String name = "shop-" + i;
            boolean upToDate = (i / feedUrls.size()) % 3 != 2;
            String version = upToDate ? "2.0.0" : "1.2.0";
            client.resource(SampleApplication.deployment(namespace, name + "-web", "web", version, 2)).create();
            client.resource(SampleApplication.deployment(namespace, name + "-worker", "worker", version, 1)).create();
            client.resource(resource(namespace, name, feedUrls.get(i % feedUrls.size()), pollInterval, upToDate))
                    .create();
            expected.put(namespace + "/" + name, upToDate ? Phase.UpToDate : Phase.WaitingForApproval);
        }
        return new ShopFleet(Map.copyOf(expected));
    }

    private static ManagedUpgrade resource(String namespace, String name, String feedUrl, Duration pollInterval,
            boolean upToDate) {
        ManagedUpgrade resource = SHOP.managedUpgrade(namespace, name, feedUrl);
        resource.getSpec().getReleaseSource().setPollInterval(pollInterval.toSeconds() + "s");
        resource.getSpec().getApplication().setComponents(List.of(component(name, "web"), component(name, "worker")));
        resource.getSpec().setMaintenance(sundayNight());
        if (!upToDate) {
            resource.getSpec().getPolicy().setApproval(Approval.Manual);
        }
        return resource;
    }

    /** The sample's component, run by this installation's own Deployment. */
    private static ComponentSpec component(String installation, String component) {
        ComponentSpec spec = SampleApplication.component(component);
        spec.getWorkload().setName(installation + "-" + component);
        return spec;
    }

    private static MaintenanceSpec sundayNight() {
        WindowSpec window = new WindowSpec();
        window.setName("sunday-night");
        window.setDays(List.of("Sun"));
        window.setStartTime("02:00");
        window.setDuration("4h");
        MaintenanceSpec maintenance = new MaintenanceSpec();
        maintenance.setTimeZone("Europe/Berlin");
        maintenance.setWindows(List.of(window));
        return maintenance;
    }

    private static String namespace(int index) {
        return String.format("tenant-%03d", index);
    }

    int size() {
        return expectedPhases.size();
    }
}
