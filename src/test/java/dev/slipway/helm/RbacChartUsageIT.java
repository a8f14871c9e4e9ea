package dev.slipway.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.testing.OperatorTestBase;
import dev.slipway.testing.cluster.Manifests;
import dev.slipway.testing.cluster.RbacRecorder;
import dev.slipway.testing.cluster.RbacRecorder.Report;
import dev.slipway.testing.cluster.RbacRecorder.Usage;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart grants the operator exactly what its code uses: every permission the chart's RBAC grants (in the default
 * install, whose ClusterRole holds the same rules as each Role of a watchNamespaces install) was used by the operator
 * somewhere in the operator tests, or is on {@link #NEEDED_BUT_NOT_EXERCISED} with the reason; and nothing the
 * operator did was refused. The usage comes from {@link RbacRecorder}, so this runs after the unit tests, in the
 * {@code integration-test} phase of {@code ./mvnw verify} (maven-failsafe-plugin, see pom.xml); run alone, or
 * after a partial run, it is skipped with a message saying which usage is missing.
 */
class RbacChartUsageIT {

    /** Permissions ("apiGroup resource verb", core group "core") the code needs although no operator test uses them. */
    static final Map<String, String> NEEDED_BUT_NOT_EXERCISED = Map.ofEntries(
            Map.entry("coordination.k8s.io leases create", "leader election (prod profile only) creates the Lease"),
            Map.entry("coordination.k8s.io leases get", "leader election (prod profile only) reads the Lease's holder"),
            Map.entry("coordination.k8s.io leases update", "leader election (prod profile only) renews the Lease"),
            Map.entry("core configmaps update", "PageConfigMap's createOr(update): the ConfigMap appeared since the get"),
            Map.entry("core serviceaccounts update", "PageAccess's createOr(update): it appeared since the get"),
            Map.entry("rbac.authorization.k8s.io roles update", "PageAccess's createOr(update): it appeared since the get"),
            Map.entry("rbac.authorization.k8s.io rolebindings update",
                    "PageAccess's createOr(update): it appeared since the get"),
            Map.entry("policy poddisruptionbudgets update",
                    "PageDisruptionBudget: a budget someone edited, or one an earlier Slipway wrote, is put back"));

    @Test
    void theChartGrantsWhatTheOperatorTestsUsedAndNothingElse() throws IOException {
        Set<String> operatorTests = operatorTestClasses();
        Map<String, Report> reports = RbacRecorder.read(RbacRecorder.DIRECTORY).stream()
                .filter(report -> report.run().equals(RbacRecorder.RUN))
                .collect(Collectors.toMap(Report::testClass, report -> report));
        Set<String> missing = new TreeSet<>(operatorTests);
        missing.removeAll(reports.keySet());
        assumeTrue(missing.isEmpty(), "RBAC usage check SKIPPED: no usage of this run (" + RbacRecorder.RUN + ") in "
                + RbacRecorder.DIRECTORY + " for " + missing + "; it needs every operator test, run ./mvnw -B verify");

        assertThat(reports.values()).extracting(Report::mode).as("install modes the operator tests ran in")
                .anyMatch(mode -> mode.startsWith("all namespaces"))
                .anyMatch(mode -> mode.startsWith("watchNamespaces"));
        assertThat(reports.values().stream().flatMap(report -> report.usages().stream()
                .filter(usage -> !usage.allowed()).map(usage -> report.testClass() + ": " + usage.permission() + " ("
                        + (usage.namespaced() ? "namespaced" : "cluster-wide") + ")")).sorted().toList())
                .as("requests of the operator the chart's RBAC refused: grant them in "
                        + "helm/slipway/templates/_helpers.tpl (slipway.applicationRules), or stop making them")
                .isEmpty();

        Set<String> used = reports.values().stream().flatMap(report -> report.usages().stream())
                .map(Usage::permission).collect(Collectors.toCollection(TreeSet::new));
        Set<String> granted = grantedPermissions();
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(used);
        unused.removeAll(NEEDED_BUT_NOT_EXERCISED.keySet());
        assertThat(unused).as("permissions the chart grants that no operator test used: remove them from the chart, "
                + "or list them in NEEDED_BUT_NOT_EXERCISED with the reason").isEmpty();
        assertThat(NEEDED_BUT_NOT_EXERCISED.keySet()).as("allow-list entries that the chart does not grant")
                .allMatch(granted::contains);
        assertThat(NEEDED_BUT_NOT_EXERCISED.keySet()).as("allow-list entries the tests do use (remove them)")
                .noneMatch(used::contains);
    }

    /** Every rule of the default install's Roles and ClusterRoles, one "apiGroup resource verb" per permission. */
    private static Set<String> grantedPermissions() {
        Set<String> permissions = new TreeSet<>();
        for (PolicyRule rule : HelmChartTest.allRules(Manifests.parse(HelmChartTest.render(command -> command)))) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        permissions.add((group.isEmpty() ? "core" : group) + " " + resource + " " + verb);
                    }
                }
            }
        }
        return permissions;
    }

    /** The concrete subclasses of OperatorTestBase among the compiled tests: each must have left its usage. */
    private static Set<String> operatorTestClasses() throws IOException {
        Path classes = Path.of("target", "test-classes");
        try (Stream<Path> files = Files.walk(classes)) {
            return files.map(file -> classes.relativize(file).toString()).filter(name -> name.endsWith(".class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .filter(RbacChartUsageIT::isOperatorTest).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static boolean isOperatorTest(String className) {
        try {
            Class<?> type = Class.forName(className, false, RbacChartUsageIT.class.getClassLoader());
            return OperatorTestBase.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
