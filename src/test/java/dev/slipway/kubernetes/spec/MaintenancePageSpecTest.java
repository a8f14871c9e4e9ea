package dev.slipway.kubernetes.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.MaintenancePageServiceType;
import dev.slipway.api.v1alpha1.spec.MaintenancePageSpec;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.demo.SampleApplication;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** spec.maintenancePage: defaults, the fields read as written, and a one-line rejection naming each bad field. */
class MaintenancePageSpecTest {

    private final ManagedUpgrade resource = new SampleApplication().managedUpgrade("shop", "shop", "http://feed.example");

    @Test
    void withoutTheFieldThePageRunsTwoReplicasBehindAClusterIpWithTheDefaultResources() {
        ResolvedSpec.Page page = SpecReader.read(resource.getSpec()).page();

        assertThat(page.replicas()).isEqualTo(2);
        assertThat(page.serviceType()).isEqualTo(MaintenancePageServiceType.ClusterIP);
        assertThat(page.image()).isNull();
        assertThat(page.imagePullSecrets()).isEmpty();
        assertThat(page.nodeSelector()).isEmpty();
        assertThat(page.tolerations()).isEmpty();
        assertThat(page.priorityClassName()).isNull();
        assertThat(page.resources().getRequests()).isEqualTo(MaintenancePageReader.DEFAULT_REQUESTS);
        assertThat(page.resources().getLimits()).isEqualTo(MaintenancePageReader.DEFAULT_LIMITS);
    }

    @Test
    void theFieldsAreReadAsWrittenAndResourcesReplaceTheirDefaultsKeyByKey() {
        Toleration toleration = new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("edge")
                .withEffect("NoSchedule").build();
        page(page -> {
            page.setImage("mirror.example.com:5000/slipway/slipway:0.1.0");
            page.setImagePullSecrets(List.of("mirror-credentials"));
            page.setResources(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("100m"))
                    .addToLimits("memory", new Quantity("256Mi")).build());
            page.setNodeSelector(Map.of("kubernetes.io/os", "linux"));
            page.setTolerations(List.of(toleration));
            page.setPriorityClassName("maintenance-critical");
            page.setReplicas(3);
            page.setServiceType(MaintenancePageServiceType.NodePort);
        });

        ResolvedSpec.Page page = SpecReader.read(resource.getSpec()).page();

        assertThat(page).isEqualTo(new ResolvedSpec.Page("mirror.example.com:5000/slipway/slipway:0.1.0",
                List.of("mirror-credentials"), new ResourceRequirements(null,
                        Map.of("memory", new Quantity("256Mi")),
                        Map.of("cpu", new Quantity("100m"), "memory", new Quantity("144Mi"))),
                Map.of("kubernetes.io/os", "linux"), List.of(toleration), "maintenance-critical", 3,
                MaintenancePageServiceType.NodePort));
    }

    @Test
    void aLimitBelowTheDefaultRequestTakesTheRequestDownWithIt() {
        page(page -> page.setResources(new ResourceRequirementsBuilder()
                .addToLimits("cpu", new Quantity("0.025")).build()));

        ResolvedSpec.Page page = SpecReader.read(resource.getSpec()).page();

        assertThat(page.resources().getRequests().get("cpu")).isEqualTo(new Quantity("0.025"));
        assertThat(page.resources().getLimits().get("cpu")).isEqualTo(new Quantity("0.025"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "image                 | Registry.Example.com/Slipway",
        "image                 | registry.example.com/slipway:0.1.0 --debug",
        "imagePullSecrets[1]   | Mirror_Credentials",
        "imagePullSecrets[1]   | mirror-credentials (duplicate)",
        "priorityClassName     | Critical!",
        "replicas              | 0",
        "resources.requests.gpu | 1",
        "resources.limits.memory | a lot",
        "resources.limits.memory | 150Mi",
        "resources.requests.cpu | 0",
        "resources.requests.cpu | 2 (above a limit of 1)",
        "nodeSelector.node_role/edge | true",
        "nodeSelector.kubernetes.io/os | -linux",
        "tolerations[0].operator | Sometimes",
        "tolerations[0].value  | edge (with Exists)",
        "tolerations[0].effect | NoRun",
        "tolerations[0].tolerationSeconds | 30 (with NoSchedule)",
        "tolerations[0].operator | Equal (without a key)",
    })
    void aBadValueNamesItsFieldAndSaysWhy(String field, String value) {
        page(page -> breakField(page, field, value));

        assertThatThrownBy(() -> SpecReader.read(resource.getSpec())).isInstanceOfSatisfying(
                InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.maintenancePage." + field);
                    assertThat(e.reason()).isNotBlank().doesNotContain("\n");
                });
    }

    private static void breakField(MaintenancePageSpec page, String field, String value) {
        String plain = value.replaceAll(" \\(.*\\)$", "");
        switch (field) {
            case "image" -> page.setImage(plain);
            case "imagePullSecrets[1]" -> page.setImagePullSecrets(Arrays.asList("mirror-credentials", plain));
            case "priorityClassName" -> page.setPriorityClassName(plain);
            case "replicas" -> page.setReplicas(Integer.parseInt(plain));
            case "resources.requests.gpu" -> page.setResources(new ResourceRequirementsBuilder()
                    .addToRequests("gpu", new Quantity(plain)).build());
            case "resources.limits.memory" -> page.setResources(new ResourceRequirementsBuilder()
                    .addToLimits("memory", new Quantity(plain)).build());
            case "resources.requests.cpu" -> page.setResources(new ResourceRequirementsBuilder()
                    .addToRequests("cpu", new Quantity(plain)).addToLimits("cpu", new Quantity("1")).build());
            case "nodeSelector.node_role/edge" -> page.setNodeSelector(Map.of("node_role/edge", plain));
            case "nodeSelector.kubernetes.io/os" -> page.setNodeSelector(Map.of("kubernetes.io/os", plain));
            case "tolerations[0].operator" -> page.setTolerations(List.of(value.contains("without a key")
                    ? new TolerationBuilder().withOperator(plain).build()
                    : new TolerationBuilder().withKey("dedicated").withOperator(plain).build()));
            case "tolerations[0].value" -> page.setTolerations(List.of(new TolerationBuilder().withKey("dedicated")
                    .withOperator("Exists").withValue(plain).build()));
            case "tolerations[0].effect" -> page.setTolerations(List.of(new TolerationBuilder().withKey("dedicated")
                    .withOperator("Exists").withEffect(plain).build()));
            case "tolerations[0].tolerationSeconds" -> page.setTolerations(List.of(new TolerationBuilder()
                    .withKey("dedicated").withOperator("Exists").withEffect("NoSchedule")
                    .withTolerationSeconds(Long.parseLong(plain)).build()));
            default -> throw new IllegalArgumentException("no way to break " + field);
        }
    }

    private void page(Consumer<MaintenancePageSpec> edit) {
        if (resource.getSpec().getMaintenancePage() == null) {
            resource.getSpec().setMaintenancePage(new MaintenancePageSpec());
        }
        edit.accept(resource.getSpec().getMaintenancePage());
    }
}
