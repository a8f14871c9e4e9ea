package dev.slipway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the shape the README promises: a pure core, a standalone Release API client, time only from a Clock. */
class ArchitectureTest {

    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.slipway");

    @Test
    void coreHasNoFrameworkOrAdapterDependencies() {
        noClasses().that().resideInAPackage("dev.slipway.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "io.fabric8..", "jakarta..",
                        "java.sql..", "javax.sql..", "org.flywaydb..", "io.vertx..", "io.javaoperatorsdk..",
                        "io.micrometer..", "dev.slipway.kubernetes..", "dev.slipway.database..", "dev.slipway.http..",
                        "dev.slipway.cli..", "dev.slipway.config..", "dev.slipway.api..")
                .because("decisions live in a pure core that tests drive with plain data and a fixed Clock")
                .check(PRODUCT);
    }

    @Test
    void releaseApiClientStandsAlone() {
        noClasses().that().resideInAPackage("dev.slipway.releaseapi..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.core..", "dev.slipway.kubernetes..",
                        "dev.slipway.database..", "dev.slipway.http..", "dev.slipway.cli..", "dev.slipway.config..",
                        "dev.slipway.api..", "io.quarkus..", "io.fabric8..", "jakarta..")
                .because("release-api-client/ is the vendor-facing contract and must be usable without the operator")
                .check(PRODUCT);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.slipway.(**)").should().beFreeOfCycles()
                .because("each package builds on the ones below it; a circle means neither can change alone")
                .check(PRODUCT);
    }

    @Test
    void theDatabaseAdapterKnowsNothingOfKubernetesOrHttp() {
        noClasses().that().resideInAPackage("dev.slipway.database..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.slipway.kubernetes..", "dev.slipway.http..",
                        "io.fabric8..", "io.javaoperatorsdk..")
                .because("the CLI verifies and migrates databases without a cluster")
                .check(PRODUCT);
    }

    @Test
    void theOperatorDoesNotReachIntoTheHttpServers() {
        noClasses().that().resideInAPackage("dev.slipway.kubernetes..")
                .should().dependOnClassesThat().resideInAPackage("dev.slipway.http..")
                .because("the page's JSON contract lives in api/page, shared by the operator and the page server")
                .check(PRODUCT);
    }

    @Test
    void onlyTheCommandLineStartsTheDemo() {
        noClasses().that().resideOutsideOfPackages("dev.slipway.demo..", "dev.slipway.cli..")
                .and().doNotHaveFullyQualifiedName("dev.slipway.SlipwayMain")
                .should().dependOnClassesThat().resideInAPackage("dev.slipway.demo..")
                .because("the demo is a separate source root (demo/) that the product must not depend on")
                .check(PRODUCT);
    }

    @Test
    void timeComesFromAnInjectedClock() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.LocalDateTime.class, "now")
                .orShould().callMethod(java.time.LocalDate.class, "now")
                .orShould().callMethod(java.time.ZonedDateTime.class, "now")
                .orShould().callMethod(java.time.OffsetDateTime.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .because("windows, conditions and history must be testable with a fixed Clock")
                .check(PRODUCT);
    }
}
