package dev.slipway.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.kubernetes.ingress.IngressSwap;
import dev.slipway.kubernetes.page.PageAccess;
import dev.slipway.kubernetes.page.PageConfigMap;
import dev.slipway.kubernetes.page.PageDeployment;
import dev.slipway.kubernetes.page.PageDisruptionBudget;
import dev.slipway.kubernetes.page.PagePullSecrets;
import dev.slipway.kubernetes.page.PageNames;
import dev.slipway.kubernetes.page.PageService;
import dev.slipway.kubernetes.spec.MaintenancePageReader;
import dev.slipway.kubernetes.upgrade.PageStatusFixture;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The objects the operator creates or changes for an upgrade (the maintenance page's ConfigMap, Deployment, Service,
 * ServiceAccount, Role and RoleBinding, PodDisruptionBudget, copies of the operator's pull Secrets, and the swapped
 * Ingress), derived from a fixed ManagedUpgrade, Ingress and Clock with no API server, against golden files. Each
 * directory under {@code golden/derived} is a case: its inputs are {@code in-ManagedUpgrade.yaml},
 * {@code in-Ingress.yaml} and optionally {@code in-OperatorPullSecret-<name>.yaml} (the operator's own pull Secrets,
 * as the chart's {@code page.copyImagePullSecrets} copies them), its golden files {@code out-<Kind>-<name>.yaml}. A
 * missing golden file fails, and so does any file of a case that is neither an input nor derived (a stale golden file
 * would otherwise pass unnoticed). Regenerate after an intended change with
 * {@code ./mvnw test -Dtest=DerivedResourcesTest -Dslipway.golden.write=true}, then review the diff.
 */
class DerivedResourcesTest {

    private static final Path CASES = Path.of("src/test/resources/golden/derived");
    private static final Set<String> INPUTS = Set.of("in-ManagedUpgrade.yaml", "in-Ingress.yaml");
    private static final String OPERATOR_PULL_SECRET = "in-OperatorPullSecret-";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-14T02:30:00Z"), ZoneOffset.UTC);
    /** The default of {@code slipway.page.image}. */
    private static final String PAGE_IMAGE = "registry.example.com/slipway/slipway:0.1.0";
    private static final boolean WRITE = Boolean.getBoolean("slipway.golden.write");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keys sorted, so that the order of labels built with Map.of (which varies between runs) cannot show. */
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    @TestFactory
    Stream<DynamicNode> derivedObjectsMatchTheirGoldenFiles() throws IOException {
        List<Path> cases;
        try (Stream<Path> directories = Files.list(CASES)) {
            cases = directories.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(cases).as("cases under %s", CASES).hasSizeGreaterThanOrEqualTo(3);
        return cases.stream().map(directory -> DynamicContainer.dynamicContainer(
                directory.getFileName().toString(), testsFor(directory)));
    }

    private static Stream<DynamicTest> testsFor(Path directory) {
        ManagedUpgrade resource = read(directory.resolve("in-ManagedUpgrade.yaml"), ManagedUpgrade.class);
        Ingress ingress = read(directory.resolve("in-Ingress.yaml"), Ingress.class);
        List<Secret> operatorPullSecrets = operatorPullSecrets(directory);
        List<DynamicTest> tests = new ArrayList<>();
        Set<String> derivedFiles = new TreeSet<>();
        for (HasMetadata object : derive(resource, ingress, operatorPullSecrets)) {
            String fileName = "out-" + object.getKind() + "-" + object.getMetadata().getName() + ".yaml";
            assertThat(derivedFiles.add(fileName)).as("two derived objects share %s", fileName).isTrue();
            Path golden = directory.resolve(fileName);
            tests.add(DynamicTest.dynamicTest(object.getKind() + " " + object.getMetadata().getName(),
                    () -> assertMatchesGolden(yaml(object), golden)));
        }
        tests.add(DynamicTest.dynamicTest("every file is an input or a derived object's golden file",
                () -> assertNoUnusedFiles(directory, derivedFiles)));
        return tests.stream();
    }

    /** What the operator applies while the page is up: the page's objects and the Ingress pointed at it. */
    private static List<HasMetadata> derive(ManagedUpgrade resource, Ingress ingress, List<Secret> operatorPullSecrets) {
        IngressSwap.pointAtPage(ingress, PageNames.name(resource), PageNames.SERVICE_PORT, SERIALIZATION);
        int replicas = MaintenancePageReader.read(resource.getSpec().getMaintenancePage()).replicas();
        List<String> sources = operatorPullSecrets.stream().map(secret -> secret.getMetadata().getName()).toList();
        List<HasMetadata> derived = new ArrayList<>(List.of(
                PageAccess.desiredServiceAccount(resource),
                PageAccess.desiredRole(resource),
                PageAccess.desiredRoleBinding(resource),
                PageConfigMap.desired(resource, PageStatusFixture.published(resource, CLOCK.instant())),
                PageDeployment.desired(resource, replicas, PAGE_IMAGE, PagePullSecrets.copies(resource, sources)),
                PageService.desired(resource),
                ingress));
        if (replicas >= 2) {
            derived.add(PageDisruptionBudget.desired(resource));
        }
        operatorPullSecrets.forEach(secret -> derived.add(PagePullSecrets.desired(resource, secret)));
        return derived;
    }

    private static List<Secret> operatorPullSecrets(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith(OPERATOR_PULL_SECRET)).sorted()
                    .map(file -> read(file, Secret.class)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertMatchesGolden(String actual, Path golden) throws IOException {
        if (WRITE) {
            Files.writeString(golden, actual);
        }
        assertThat(golden).as("missing golden file; write it with -Dslipway.golden.write=true").exists();
        assertThat(actual).as("%s differs; if intended, regenerate with -Dslipway.golden.write=true", golden)
                .isEqualTo(Files.readString(golden));
    }

    private static void assertNoUnusedFiles(Path directory, Set<String> derivedFiles) throws IOException {
        List<Path> unused;
        try (Stream<Path> files = Files.list(directory)) {
            unused = files.filter(file -> !INPUTS.contains(file.getFileName().toString())
                    && !file.getFileName().toString().startsWith(OPERATOR_PULL_SECRET)
                    && !derivedFiles.contains(file.getFileName().toString())).sorted().toList();
        }
        if (WRITE) {
            for (Path file : unused) {
                Files.delete(file);
            }
            return;
        }
        assertThat(unused).as("files no derived object matches: delete them, or regenerate with "
                + "-Dslipway.golden.write=true").isEmpty();
    }

    private static String yaml(HasMetadata object) {
        try {
            return YAML.writeValueAsString(JSON.readValue(SERIALIZATION.asJson(object), Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(Path file, Class<T> type) {
        try {
            return SERIALIZATION.unmarshal(Files.readString(file), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read input " + file, e);
        }
    }
}
