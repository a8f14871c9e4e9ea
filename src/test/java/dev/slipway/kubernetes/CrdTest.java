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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
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

    /**
     * SHA-256 of the generated CRD's spec for each {@link CrdVersionCheck#CRD_VERSION}: a changed schema needs a new
     * version (and a new entry here), so that operators built from it refuse a cluster that still has the old one.
     * Never edit an existing entry.
     */
    static final Map<Integer, String> SCHEMA_OF_VERSION = Map.of(
            1, "7b9b7356bb94e8b81690269e8c72614bee4ab1a802adfda0d877fd21153802b5",
            2, "bdae102015d1cb1d8d40a33379af34f0a809696edb72d703f1246febf9fb4428");

    @Test
    void committedCrdMatchesTheJavaModel(@TempDir Path out) throws IOException {
        new CRDGenerator().customResourceClasses(ManagedUpgrade.class).forCRDVersions("v1").withMinQuotes(true)
                .withPostProcessor(new CRDPostProcessor() {
                    @Override
                    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                        crd.getMetadata().setAnnotations(
                                Map.of(CrdVersionCheck.VERSION_ANNOTATION, String.valueOf(CrdVersionCheck.CRD_VERSION)));
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

    @Test
    void aChangedSchemaComesWithANewCrdVersion() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(COMMITTED), CustomResourceDefinition.class);
        String schema = sha256(Serialization.asYaml(crd.getSpec()));

        assertThat(crd.getMetadata().getAnnotations())
                .containsEntry(CrdVersionCheck.VERSION_ANNOTATION, String.valueOf(CrdVersionCheck.CRD_VERSION));
        assertThat(SCHEMA_OF_VERSION)
                .as("no schema recorded for CRD version %d: add %d -> \"%s\" to CrdTest.SCHEMA_OF_VERSION",
                        CrdVersionCheck.CRD_VERSION, CrdVersionCheck.CRD_VERSION, schema)
                .containsKey(CrdVersionCheck.CRD_VERSION);
        assertThat(schema)
                .as("the CRD schema changed but CrdVersionCheck.CRD_VERSION is still %d: bump it, regenerate the CRD "
                        + "(-Dslipway.crd.write=true) and record the new schema in CrdTest.SCHEMA_OF_VERSION",
                        CrdVersionCheck.CRD_VERSION)
                .isEqualTo(SCHEMA_OF_VERSION.get(CrdVersionCheck.CRD_VERSION));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
