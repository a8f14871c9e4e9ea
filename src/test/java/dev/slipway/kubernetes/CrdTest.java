package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed CRD is what admins install: it must match the Java model. Regenerate it with
 * {@code ./mvnw test -Dtest=CrdTest -Dslipway.crd.write=true} (which also refreshes the Helm chart's copy).
 */
class CrdTest {

    static final Path COMMITTED = Path.of("crds/managedupgrades.slipway.dev-v1.yml");
    static final Path CHART_COPY = Path.of("helm/slipway/crds/managedupgrades.slipway.dev-v1.yml");

    @Test
    void committedCrdMatchesTheJavaModel(@TempDir Path out) throws IOException {
        new CRDGenerator().customResourceClasses(ManagedUpgrade.class).forCRDVersions("v1").withMinQuotes(true)
                .withPostProcessor(new CRDPostProcessor() {
                    @Override
                    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                        return columnsInDeclaredOrder(crd);
                    }
                }).inOutputDir(out.toFile()).generate();
        String generated = Files.readString(out.resolve(COMMITTED.getFileName()));
        if (Boolean.getBoolean("slipway.crd.write")) {
            Files.writeString(COMMITTED, generated);
            Files.writeString(CHART_COPY, generated);
        }
        assertThat(Files.readString(COMMITTED))
                .as("crds/ is out of date with the Java model; regenerate with -Dslipway.crd.write=true")
                .isEqualTo(generated);
    }

    /** The generator sorts printer columns by path; kubectl shows them in list order, so restore the declared one. */
    private static HasMetadata columnsInDeclaredOrder(HasMetadata crd) {
        List<String> declared = Arrays.stream(ManagedUpgrade.class.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        ((CustomResourceDefinition) crd).getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
                .sort(Comparator.comparing(column -> declared.indexOf(column.getName()))));
        return crd;
    }

    @Test
    void printerColumnsShowVersionTargetPhaseNextWindowAndAge() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(COMMITTED), CustomResourceDefinition.class);
        var version = crd.getSpec().getVersions().get(0);
        assertThat(version.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("VERSION", "TARGET", "PHASE", "NEXT-WINDOW", "AGE");
        assertThat(version.getAdditionalPrinterColumns()).extracting(CustomResourceColumnDefinition::getJsonPath)
                .containsExactly(".status.currentVersion", ".status.targetVersion", ".status.phase",
                        ".status.maintenance.nextWindow.start", ".metadata.creationTimestamp");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("mu");
        assertThat(version.getSubresources().getStatus()).isNotNull();
    }

    @Test
    void schemaCarriesValidationThatTheApiServerCanEnforce() throws IOException {
        String crd = Files.readString(COMMITTED);
        assertThat(crd).contains("- Automatic", "- Manual", "- Patch", "- Minor", "- Major", "- Deployment", "- StatefulSet",
                "- MinorAndMajor");
        assertThat(crd).contains("^(https?|file):.+").contains("required:");
    }
}
