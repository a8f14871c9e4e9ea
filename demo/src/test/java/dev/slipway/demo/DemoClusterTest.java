package dev.slipway.demo;

import dev.slipway.api.v1alpha1.status.Phase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo's in-process Kubernetes API, as the application's client finds it from configuration alone. */
class DemoClusterTest {

    @Test
    void aClientBuiltFromConfigurationTalksToItAndFindsTheCrdWithItsStatusSubresource() {
        try (DemoCluster cluster = DemoCluster.start(); KubernetesClient client = new KubernetesClientBuilder().build()) {
            assertThat(cluster.serves(client.getMasterUrl().toString())).isTrue();
            ManagedUpgrade resource = new SampleApplication().managedUpgrade("shop", "shop", "http://127.0.0.1:1/");
            client.resource(resource).create();
            ManagedUpgrade stored = client.resources(ManagedUpgrade.class).inNamespace("shop").withName("shop").get();
            stored.setStatus(new ManagedUpgradeStatus());
            stored.getStatus().setPhase(Phase.UpToDate);
            client.resource(stored).updateStatus();

            assertThat(client.resources(ManagedUpgrade.class).inNamespace("shop").withName("shop").get().getStatus()
                    .getPhase()).isEqualTo(Phase.UpToDate);
        }
    }

    @Test
    void itsKubeconfigFileGivesAnyClientTheDemosManagedUpgradesAndTheirShortName() throws IOException {
        Path kubeconfig;
        try (DemoCluster cluster = DemoCluster.start();
             KubernetesClient application = new KubernetesClientBuilder().build();
             KubernetesClient fromFile = new KubernetesClientBuilder()
                     .withConfig(Config.fromKubeconfig(Files.readString(cluster.kubeconfig()))).build()) {
            kubeconfig = cluster.kubeconfig();
            application.resource(new SampleApplication().managedUpgrade("shop", "shop", "http://127.0.0.1:1/")).create();

            assertThat(fromFile.getMasterUrl().toString()).isEqualTo(cluster.url());
            assertThat(fromFile.getNamespace()).isEqualTo(DemoCluster.NAMESPACE);
            assertThat(fromFile.resources(ManagedUpgrade.class).inAnyNamespace().list().getItems())
                    .extracting(resource -> resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName())
                    .containsExactly("shop/shop");
            assertThat(fromFile.getApiGroups().getGroups()).as("what kubectl discovers first")
                    .extracting(group -> group.getName()).contains(ManagedUpgrade.GROUP);
            assertThat(fromFile.getApiResources(ManagedUpgrade.GROUP + "/" + ManagedUpgrade.VERSION).getResources())
                    .singleElement().satisfies(resource -> {
                        assertThat(resource.getName()).isEqualTo("managedupgrades");
                        assertThat(resource.getShortNames()).containsExactly("mu");
                        assertThat(resource.getVerbs()).contains("list", "patch");
                    });
        }
        assertThat(kubeconfig).doesNotExist();
    }

    @Test
    void neverTakesAnotherApiServerForItselfAndLeavesNoConfigurationBehind() {
        String before = System.getProperty("kubernetes.master");
        try (DemoCluster cluster = DemoCluster.start()) {
            assertThat(DemoCluster.active()).contains(cluster);
            assertThat(cluster.serves("https://10.0.0.1:6443/")).isFalse();
            int port = URI.create(cluster.url()).getPort();
            assertThat(cluster.serves("https://192.0.2.10:" + port + "/")).isFalse();
            assertThat(cluster.serves("http://127.0.0.1:" + port + "/")).isTrue();
        }
        assertThat(DemoCluster.active()).isEmpty();
        assertThat(System.getProperty("kubernetes.master")).isEqualTo(before);
    }
}
