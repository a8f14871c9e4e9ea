package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code slipway status} text for representative ManagedUpgrades with a fixed clock, against golden files. Each
 * directory under {@code golden/status} is a case: a ManagedUpgrade with the status the operator would have written
 * ({@code in-ManagedUpgrade.yaml}) and the text of {@code status NAME} ({@code out-status.txt}); {@code table.txt}
 * is {@code status} without a name over all of them. Regenerate after an intended change with
 * {@code ./mvnw test -Dtest=StatusTextGoldenTest -Dslipway.golden.write=true}, then review the diff.
 */
class StatusTextGoldenTest {

    static final Path CASES = Path.of("src/test/resources/golden/status");
    /** Thursday 26 November 2026, 03:10 in Berlin: between the weekend windows of most cases. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T02:10:00Z"), ZoneOffset.UTC);
    private static final boolean WRITE = Boolean.getBoolean("slipway.golden.write");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @TestFactory
    Stream<DynamicTest> eachStatusMatchesItsGoldenText() {
        List<Path> cases = cases();
        assertThat(cases).as("cases under %s", CASES).hasSizeGreaterThanOrEqualTo(4);
        return cases.stream().map(directory -> DynamicTest.dynamicTest(directory.getFileName().toString(),
                () -> assertMatchesGolden(StatusText.render(StatusView.of(read(directory)), CLOCK.instant()),
                        directory.resolve("out-status.txt"))));
    }

    @Test
    void theNamespaceTableHasOneRowPerResource() throws IOException {
        List<StatusView> views = cases().stream().map(directory -> {
            ManagedUpgrade resource = read(directory);
            // the cases share a name, the resources of one namespace do not
            resource.getMetadata().setName(directory.getFileName().toString());
            return StatusView.of(resource);
        }).toList();

        assertMatchesGolden(StatusText.table(views, CLOCK.instant(), false), CASES.resolve("table.txt"));
    }

    @Test
    void theAllNamespacesTableNamesEachResourcesNamespace() throws IOException {
        List<StatusView> views = cases().stream().map(directory -> {
            ManagedUpgrade resource = read(directory);
            // one application per namespace, all named alike: the namespace tells them apart
            resource.getMetadata().setNamespace(directory.getFileName().toString());
            return StatusView.of(resource);
        }).toList();

        assertMatchesGolden(StatusText.table(views, CLOCK.instant(), true), CASES.resolve("table-all-namespaces.txt"));
    }

    static ManagedUpgrade read(Path directory) {
        try {
            return SERIALIZATION.unmarshal(Files.readString(directory.resolve("in-ManagedUpgrade.yaml")),
                    ManagedUpgrade.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> cases() {
        try (Stream<Path> directories = Files.list(CASES)) {
            return directories.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertMatchesGolden(String actual, Path golden) throws IOException {
        String text = actual + System.lineSeparator();
        if (WRITE) {
            Files.writeString(golden, text);
        }
        assertThat(golden).as("missing golden file; write it with -Dslipway.golden.write=true").exists();
        assertThat(text).as("%s differs; if intended, regenerate with -Dslipway.golden.write=true", golden)
                .isEqualTo(Files.readString(golden));
    }
}
