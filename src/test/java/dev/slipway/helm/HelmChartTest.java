package dev.slipway.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.config.SlipwayConfig;
import dev.slipway.kubernetes.ManagedUpgradeReconciler;
import dev.slipway.kubernetes.spec.SpecReader;
import dev.slipway.testing.cluster.Grants;
import dev.slipway.testing.cluster.Manifests;
import dev.slipway.testing.cluster.SlipwayChart;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.quarkiverse.operatorsdk.runtime.RunTimeOperatorConfiguration;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Helm chart as an administrator meets it: it lints clean, renders what the golden files show, grants the
 * operator every permission its work needs (and nothing that reads Secrets in bulk or escalates),
 * locks the container down, and refuses invalid values. Regenerate the golden files after an intended change
 * with {@code ./mvnw test -Dtest=HelmChartTest -Dslipway.golden.write=true}.
 */
class HelmChartTest {

    static final Path CHART = SlipwayChart.DIRECTORY;
    static final Path GOLDEN = Path.of("src/test/resources/helm/golden");
    static final Path VALUES = Path.of("src/test/resources/helm/values");
    static final String RELEASE = SlipwayChart.RELEASE;
    static final String RELEASE_NAMESPACE = SlipwayChart.RELEASE_NAMESPACE;

    /** Value sets rendered against golden files; each but the default has a values file of the same name. */
    enum Scenario {
        DEFAULT("default"), NAMESPACE_LIST("namespace-list"), PINNED_STANDBY("pinned-standby");

        final String fileName;

        Scenario(String name) {
            this.fileName = name + ".yaml";
        }

        Optional<Path> valuesFile() {
            return this == DEFAULT ? Optional.empty() : Optional.of(VALUES.resolve(fileName));
        }

        UnaryOperator<TemplateCommand> valueSettings() {
            return command -> valuesFile().map(command::withValuesFile).orElse(command);
        }
    }

    // --- The chart as a package --------------------------------------------------------------------------

    @Test
    void chartVersionAndAppVersionAreTheProjectVersion() throws Exception {
        String projectVersion = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse("pom.xml")
                .getDocumentElement().getElementsByTagName("version").item(0).getTextContent();
        JsonNode chart = new YAMLMapper().readTree(CHART.resolve("Chart.yaml").toFile());

        assertThat(chart.path("version").asText()).isEqualTo(projectVersion);
        assertThat(chart.path("appVersion").asText()).isEqualTo(projectVersion);
    }

    @Test
    void chartShipsTheRepositoryCrdUnchanged() throws IOException {
        Path chartCrd = CHART.resolve("crds/managedupgrades.slipway.dev-v1.yml");
        assertThat(Files.mismatch(chartCrd, Path.of("crds/managedupgrades.slipway.dev-v1.yml")))
                .as("helm/slipway/crds/ differs from crds/: copy crds/managedupgrades.slipway.dev-v1.yml over it")
                .isEqualTo(-1L);
    }

    @Test
    void strictLintReportsNeitherWarningsNorErrors() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as("lint failed: %s", lint.getMessages()).isFalse();
        // [INFO] notes (such as "icon is recommended") are suggestions; anything louder is a finding.
        assertThat(lint.getMessages()).allSatisfy(message -> assertThat(message).startsWith("[INFO]"));
    }

    // --- Golden files ------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void renderedManifestsMatchTheGoldenFile(Scenario scenario) throws IOException {
        String rendered = render(scenario.valueSettings());
        Path golden = GOLDEN.resolve(scenario.fileName);
        if (Boolean.getBoolean("slipway.golden.write")) {
            Files.writeString(golden, rendered);
        }
        assertThat(golden).as("missing golden file; write it with -Dslipway.golden.write=true").exists();
        assertThat(Files.readString(golden))
                .as("%s renders differently; if intended, regenerate with -Dslipway.golden.write=true", golden)
                .isEqualTo(rendered);
    }

    @Test
    void everyGoldenFileBelongsToAScenario() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .as("golden files that no scenario renders must be deleted")
                    .containsExactlyInAnyOrderElementsOf(Arrays.stream(Scenario.values()).map(s -> s.fileName).toList());
        }
    }

    // --- RBAC ----------------------------------------------------------------------------------------------

    /**
     * Which rules the operator needs is proven elsewhere: the operator tests run behind the chart's RBAC
     * (OperatorTestBase) and RbacChartUsageIT compares what they used with what the chart grants.
     */
    @Test
    void watchingAllNamespacesBindsOneClusterRoleToTheOperatorsServiceAccount() {
        Manifests manifests = rendered(Scenario.DEFAULT);
        ClusterRole clusterRole = applicationClusterRole(manifests);

        assertThat(clusterRole.getRules()).isNotEmpty();
        ClusterRoleBinding binding = manifests.ofKind("ClusterRoleBinding", ClusterRoleBinding.class).stream()
                .filter(candidate -> candidate.getRoleRef().getName().equals(clusterRole.getMetadata().getName()))
                .findFirst().orElseThrow();
        assertThat(binding.getRoleRef().getName()).isEqualTo(clusterRole.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getNamespace()).isEqualTo(RELEASE_NAMESPACE);
            assertThat(subject.getName()).isEqualTo(podSpec(manifests).getServiceAccountName());
        });
    }

    @Test
    void watchingANamespaceListGrantsTheSameRulesOnlyInThoseNamespaces() {
        List<PolicyRule> clusterRules = applicationClusterRole(rendered(Scenario.DEFAULT)).getRules();
        Manifests manifests = rendered(Scenario.NAMESPACE_LIST);

        assertThat(manifests.ofKind("ClusterRole", ClusterRole.class))
                .as("cluster-wide: only reading the CRD, the access reviews, and the roles for console users")
                .extracting(role -> role.getMetadata().getName())
                .containsExactlyInAnyOrder(CRD_VERSION_ROLE, ACCESS_REVIEWS_ROLE, "slipway-console-viewer",
                        "slipway-console-admin");
        List<Role> applicationRoles = manifests.ofKind("Role", Role.class).stream()
                .filter(role -> !role.getMetadata().getNamespace().equals(RELEASE_NAMESPACE)).toList();
        assertThat(applicationRoles).extracting(role -> role.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("shop", "wiki");
        assertThat(applicationRoles).allSatisfy(role -> assertThat(role.getRules()).isEqualTo(clusterRules));
        assertThat(manifests.ofKind("RoleBinding", RoleBinding.class))
                .extracting(binding -> binding.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("shop", "wiki", RELEASE_NAMESPACE);
    }

    /** The ClusterRole of CrdVersionCheck, in both modes. */
    static final String CRD_VERSION_ROLE = RELEASE + "-crd-version";

    /** The ClusterRole of the TokenReviews and SubjectAccessReviews of the status API and console, in both modes. */
    static final String ACCESS_REVIEWS_ROLE = RELEASE + "-access-reviews";

    /** The ClusterRole with the operator's rules in every namespace (watching all namespaces). */
    static ClusterRole applicationClusterRole(Manifests manifests) {
        return manifests.ofKind("ClusterRole", ClusterRole.class).stream()
                .filter(role -> role.getMetadata().getName().equals(RELEASE)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void theOperatorMayReadItsOwnCrdAndNoOther(Scenario scenario) {
        Manifests manifests = rendered(scenario);
        ClusterRole role = manifests.ofKind("ClusterRole", ClusterRole.class).stream()
                .filter(candidate -> candidate.getMetadata().getName().equals(CRD_VERSION_ROLE)).findFirst()
                .orElseThrow();
        Grants grants = new Grants(role.getRules());

        assertThat(grants.allowsOn("apiextensions.k8s.io", "customresourcedefinitions", "get",
                "managedupgrades.slipway.dev")).isTrue();
        assertThat(grants.allowsOn("apiextensions.k8s.io", "customresourcedefinitions", "get",
                "certificates.cert-manager.io")).isFalse();
        assertThat(role.getRules()).singleElement().satisfies(rule -> assertThat(rule.getVerbs()).containsExactly("get"));
        assertThat(manifests.ofKind("ClusterRoleBinding", ClusterRoleBinding.class))
                .filteredOn(binding -> binding.getRoleRef().getName().equals(CRD_VERSION_ROLE)).singleElement()
                .satisfies(binding -> assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
                    assertThat(subject.getNamespace()).isEqualTo(RELEASE_NAMESPACE);
                    assertThat(subject.getName()).isEqualTo(podSpec(manifests).getServiceAccountName());
                }));
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void noRuleUsesWildcardsOrVerbsThatEscalate(Scenario scenario) {
        assertThat(allRules(rendered(scenario))).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getApiGroups()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*").noneMatch(resource -> resource.endsWith("/*"));
            assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate");
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void secretsCanOnlyBeReadOneByOneNeverListedOrWatched(Scenario scenario) {
        List<PolicyRule> secretRules = allRules(rendered(scenario)).stream()
                .filter(rule -> rule.getApiGroups().contains("") && rule.getResources().contains("secrets")).toList();

        assertThat(secretRules).isNotEmpty().allSatisfy(rule -> assertThat(rule.getVerbs()).containsExactly("get"));
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void bindingsOnlyReferToTheChartsOwnRolesNeverToClusterAdmin(Scenario scenario) {
        Manifests manifests = rendered(scenario);
        List<String> ownRoles = Stream.concat(
                manifests.ofKind("Role", Role.class).stream().map(role -> "Role/" + role.getMetadata().getName()),
                manifests.ofKind("ClusterRole", ClusterRole.class).stream()
                        .map(role -> "ClusterRole/" + role.getMetadata().getName())).toList();
        List<RoleRef> references = Stream.concat(
                manifests.ofKind("RoleBinding", RoleBinding.class).stream().map(RoleBinding::getRoleRef),
                manifests.ofKind("ClusterRoleBinding", ClusterRoleBinding.class).stream()
                        .map(ClusterRoleBinding::getRoleRef)).toList();

        assertThat(references).isNotEmpty()
                .noneMatch(reference -> List.of("cluster-admin", "admin", "edit").contains(reference.getName()))
                .allSatisfy(reference -> assertThat(ownRoles).contains(reference.getKind() + "/" + reference.getName()));
    }

    @Test
    void leaderElectionMayTouchOnlyItsOwnLeaseInTheReleaseNamespace() {
        Manifests manifests = rendered(Scenario.DEFAULT);
        Map<String, String> env = environment(manifests);
        String lease = env.get("SLIPWAY_LEADER_ELECTION_LEASE_NAME");
        List<Role> leaseRoles = manifests.ofKind("Role", Role.class).stream()
                .filter(role -> role.getRules().stream().anyMatch(rule -> rule.getResources().contains("leases")))
                .toList();
        assertThat(leaseRoles).as("Roles granting Leases").hasSize(1);
        Role leaseRole = leaseRoles.get(0);
        Grants grants = new Grants(leaseRole.getRules());

        assertThat(env).containsEntry("SLIPWAY_LEADER_ELECTION_ENABLED", "true");
        assertThat(leaseRole.getMetadata().getNamespace()).isEqualTo(RELEASE_NAMESPACE);
        assertThat(grants.allows("coordination.k8s.io", "leases", "create")).isTrue();
        assertThat(grants.allowsOn("coordination.k8s.io", "leases", "get", lease)).isTrue();
        assertThat(grants.allowsOn("coordination.k8s.io", "leases", "update", lease)).isTrue();
        assertThat(grants.allowsOn("coordination.k8s.io", "leases", "update", "another-operators-lease")).isFalse();
        assertThat(applicationClusterRole(manifests).getRules())
                .noneMatch(rule -> rule.getResources().contains("leases"));
    }

    @Test
    void withoutLeaderElectionThereIsNoLeaseAccessAndPodsNeverOverlap() {
        Manifests manifests = Manifests.parse(render(command -> command.set("leaderElection.enabled", false)));

        assertThat(allRules(manifests)).noneMatch(rule -> rule.getResources().contains("leases"));
        assertThat(manifests.single("Deployment", Deployment.class).getSpec().getStrategy().getType())
                .isEqualTo("Recreate");
        assertThat(environment(manifests)).containsEntry("SLIPWAY_LEADER_ELECTION_ENABLED", "false")
                .doesNotContainKey("SLIPWAY_LEADER_ELECTION_LEASE_NAME");
    }

    // --- The artifact cache -------------------------------------------------------------------------------

    @Test
    void artifactsAreCachedOnAVolumeOfTheirOwnLargerThanTheCapTheOperatorKeeps() {
        Manifests manifests = rendered(Scenario.DEFAULT);
        SlipwayConfig config = operatorConfig(Scenario.DEFAULT).getConfigMapping(SlipwayConfig.class);
        PodSpec pod = podSpec(manifests);

        var mount = pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> Path.of(m.getMountPath()).equals(config.artifacts().directory())).findFirst();
        assertThat(mount).as("SLIPWAY_ARTIFACTS_DIRECTORY is a mounted volume").isPresent();
        var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.get().getName())).findFirst()
                .orElseThrow();
        assertThat(volume.getEmptyDir()).isNotNull();
        BigDecimal sizeLimit = Quantity.getAmountInBytes(volume.getEmptyDir().getSizeLimit());
        // the cap plus one bundle being unpacked must fit, or the kubelet evicts the pod mid-upgrade
        assertThat(sizeLimit).isGreaterThanOrEqualTo(BigDecimal.valueOf(2 * config.artifacts().maxBytes()));
        assertThat(mount.get().getMountPath()).isNotEqualTo("/tmp");
    }

    @Test
    void anExistingClaimHoldsTheArtifactCacheInsteadOfAnEmptyDir() {
        PodSpec pod = podSpec(Manifests.parse(render(command -> command.set("artifactCache.existingClaim",
                "slipway-cache"))));

        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("artifacts")).singleElement()
                .satisfies(volume -> {
                    assertThat(volume.getEmptyDir()).isNull();
                    assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("slipway-cache");
                });
    }

    // --- The operator's pod ------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void operatorRunsNonRootOnAReadOnlyFilesystemWithoutCapabilities(Scenario scenario) {
        PodSpec pod = podSpec(rendered(scenario));
        Container operator = pod.getContainers().get(0);
        var security = operator.getSecurityContext();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        // The read-only root still needs a writable /tmp for the JVM and Vert.x.
        assertThat(operator.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/tmp");
            assertThat(pod.getVolumes()).anySatisfy(volume -> {
                assertThat(volume.getName()).isEqualTo(mount.getName());
                assertThat(volume.getEmptyDir()).isNotNull();
            });
        });
    }

    @Test
    void operatorRunsTheOperatorCommandProbedOnItsHealthEndpointsBehindTheService() {
        Manifests manifests = rendered(Scenario.DEFAULT);
        Deployment deployment = manifests.single("Deployment", Deployment.class);
        Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Service service = manifests.single("Service", Service.class);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(operator.getArgs()).containsExactly("operator");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(operator.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8080);
        });
        assertThat(operator.getResources().getLimits()).containsKey("memory");
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getTargetPort().getStrVal()).isEqualTo("http"));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(manifests.kinds()).doesNotContain("ServiceMonitor", "PrometheusRule", "ConfigMap");
    }

    @Test
    void defaultsWatchAllNamespacesRunThePlaceholderImageAndServeThePageFromIt() {
        Manifests manifests = rendered(Scenario.DEFAULT);

        assertThat(podSpec(manifests).getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/slipway/slipway:0.1.0");
        assertThat(environment(manifests))
                .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_MANAGEDUPGRADE_NAMESPACES", "JOSDK_ALL_NAMESPACES")
                .containsEntry("SLIPWAY_PAGE_IMAGE", "registry.example.com/slipway/slipway:0.1.0")
                .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
    }

    @Test
    void valuesReachTheOperatorAsConfiguration() {
        Manifests list = rendered(Scenario.NAMESPACE_LIST);
        Manifests pinned = rendered(Scenario.PINNED_STANDBY);
        String digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        assertThat(environment(list))
                .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_MANAGEDUPGRADE_NAMESPACES", "shop,wiki");
        assertThat(podSpec(pinned).getContainers().get(0).getImage())
                .isEqualTo("registry.internal.example/platform/slipway@" + digest);
        assertThat(environment(pinned))
                .containsEntry("SLIPWAY_PAGE_IMAGE", "mirror.internal.example/slipway/slipway:0.1.0")
                .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        assertThat(pinned.single("Deployment", Deployment.class).getSpec().getReplicas()).isEqualTo(2);
        assertThat(pinned.kinds()).contains("ServiceMonitor");
    }

    // --- Monitoring ----------------------------------------------------------------------------------------

    @Test
    void alertsCoverFailuresThePageFeedsAndWindowsWithTheThresholdsOfTheValues() {
        ChartMonitoring monitoring = ChartMonitoring.rendered();
        JsonNode rules = monitoring.prometheusRule().path("spec").path("groups").get(0).path("rules");

        assertThat(rules).extracting(rule -> rule.path("alert").asText()).containsExactly("SlipwayUpgradeFailed",
                "SlipwayHeldBehindMaintenancePage", "SlipwayReleaseFeedFailing", "SlipwayNoMaintenanceWindowSoon");
        assertThat(monitoring.alertExpressions()).containsExactly(
                "slipway_phase{phase=\"Failed\"} == 1",
                "time() - slipway_maintenance_page_since_timestamp_seconds > 60 * 60",
                "time() - slipway_feed_last_success_timestamp_seconds > 60 * 60",
                "slipway_next_window_start_timestamp_seconds - time() > 86400 * 30");
        assertThat(rules).allSatisfy(rule -> assertThat(rule.path("annotations").path("summary").asText())
                .contains("{{ $labels."));
        assertThat(rules.get(1).path("annotations").path("summary").asText())
                .isEqualTo("{{ $labels.namespace }}/{{ $labels.name }} has been behind its maintenance page for "
                        + "more than 60 minutes");
    }

    @Test
    void theDashboardIsAConfigMapForGrafanasSidecarWithAQueryInEveryPanel() {
        ChartMonitoring monitoring = ChartMonitoring.rendered();

        assertThat(monitoring.dashboardConfigMap().path("metadata").path("labels").path("grafana_dashboard").asText())
                .isEqualTo("1");
        assertThat(monitoring.dashboard().path("uid").asText()).isEqualTo("slipway-upgrades");
        assertThat(monitoring.dashboard().path("panels")).isNotEmpty().allSatisfy(panel ->
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty());
        assertThat(monitoring.dashboardQueries()).allSatisfy(query -> assertThat(query).contains("slipway_"));
        assertThat(monitoring.metricNames()).contains("slipway_phase", "slipway_upgrades_total",
                "slipway_upgrade_duration_seconds_bucket", "slipway_upgrade_step_duration_seconds_sum",
                "slipway_feed_polls_total", "slipway_maintenance_page_since_timestamp_seconds");
    }

    @Test
    void monitoringValuesReachTheRenderedObjects() {
        Manifests pinned = rendered(Scenario.PINNED_STANDBY);

        JsonNode rule = pinned.single("PrometheusRule", JsonNode.class);
        assertThat(rule.path("metadata").path("labels").path("release").asText()).isEqualTo("kube-prometheus-stack");
        assertThat(rule.path("spec").path("groups").get(0).path("rules").get(1).path("expr").asText())
                .isEqualTo("time() - slipway_maintenance_page_since_timestamp_seconds > 60 * 45");
        assertThat(pinned.single("ConfigMap", JsonNode.class).path("metadata").path("annotations")
                .path("grafana_folder").asText()).isEqualTo("Slipway");
    }

    /** The chart's variable names are only right if Quarkus maps them onto the settings the operator reads. */
    @Test
    void operatorReadsTheEnvironmentTheChartSets() {
        SmallRyeConfig namespaceList = operatorConfig(Scenario.NAMESPACE_LIST);
        SmallRyeConfig pinned = operatorConfig(Scenario.PINNED_STANDBY);

        assertThat(namespaceList.getConfigMapping(RunTimeOperatorConfiguration.class).controllers())
                .extractingByKey(ManagedUpgradeReconciler.NAME)
                .satisfies(controller -> assertThat(controller.namespaces()).contains(List.of("shop", "wiki")));
        assertThat(pinned.getConfigMapping(SlipwayConfig.class).page().image())
                .isEqualTo("mirror.internal.example/slipway/slipway:0.1.0");
        assertThat(pinned.getValue("quarkus.log.console.json.enabled", Boolean.class)).isFalse();
    }

    // --- Install notes ---------------------------------------------------------------------------------------

    @Test
    void installNotesShowAManagedUpgradeTheOperatorAcceptsAndHowToFollowIt() throws IOException {
        String notes = installNotes(Scenario.DEFAULT);
        String example = notes.substring(notes.indexOf("<<'YAML'\n") + 9, notes.indexOf("\n     YAML\n"))
                .replaceAll("(?m)^ {5}", "");
        // Unknown fields fail here: the API server would silently prune a misspelt field from the example.
        ManagedUpgrade resource = new YAMLMapper().readValue(example, ManagedUpgrade.class);

        assertThatCode(() -> SpecReader.read(resource.getSpec())).doesNotThrowAnyException();
        assertThat(notes).contains("kubectl apply -n my-app", "kubectl get mu -A",
                "image.repository is still the placeholder");
    }

    @Test
    void installNotesPointAtAWatchedNamespace() {
        assertThat(installNotes(Scenario.NAMESPACE_LIST))
                .contains("It watches ManagedUpgrades in: shop, wiki.", "kubectl apply -n shop");
    }

    // --- values.schema.json ---------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "replicas: 5                                   | /replicas",
        "replicas: 0                                   | /replicas",
        "watchNamespaces: x                            | /watchNamespaces",
        "watchNamespaces: [shop, Not_A_Label]          | /watchNamespaces/1",
        "image: {digest: latest}                       | /image/digest",
        "image: {repository: UPPER/case}               | /image/repository",
        "logging: {json: 'yes'}                        | /logging/json",
        "leaderElection: {enable: true}                | additional properties 'enable'",
        "{replicas: 2, leaderElection: {enabled: false}} | /leaderElection/enabled",
        "prometheusRule: {enabled: true, heldBehindPageMinutes: 0} | /prometheusRule/heldBehindPageMinutes",
        "prometheusRule: {enabled: true, windowHorizonDays: '30d'} | /prometheusRule/windowHorizonDays",
        "grafanaDashboard: {enabled: true, labels: {grafana_dashboard: 1}} | /grafanaDashboard/labels",
    })
    void schemaRejectsInvalidValuesNamingTheField(String values, String reportedField, @TempDir Path directory)
            throws IOException {
        Path valuesFile = Files.writeString(directory.resolve("values.yaml"), values);

        assertThatThrownBy(() -> render(command -> command.withValuesFile(valuesFile)))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(reportedField);
    }

    // --- Helpers -----------------------------------------------------------------------------------------------

    static String render(UnaryOperator<TemplateCommand> values) {
        return SlipwayChart.render(values);
    }

    /** The manifests with the values of one YAML text, as {@code helm template -f values.yaml}. */
    static String renderWithValues(String values) throws IOException {
        Path file = Files.createTempFile("slipway-values", ".yaml");
        try {
            Files.writeString(file, values);
            return render(command -> command.withValuesFile(file));
        } finally {
            Files.delete(file);
        }
    }

    /** The NOTES.txt text helm prints after installing, from a client-side dry run that needs no cluster. */
    static String installNotes(Scenario scenario) {
        InstallCommand install = new Helm(CHART).install().withName(RELEASE).withNamespace(RELEASE_NAMESPACE)
                .clientOnly().withDryRunOption(DryRun.CLIENT);
        scenario.valuesFile().ifPresent(install::withValuesFile);
        return install.call().getOutput();
    }

    static Manifests rendered(Scenario scenario) {
        return Manifests.parse(render(scenario.valueSettings()));
    }

    static PodSpec podSpec(Manifests manifests) {
        return manifests.single("Deployment", Deployment.class).getSpec().getTemplate().getSpec();
    }

    static Map<String, String> environment(Manifests manifests) {
        return podSpec(manifests).getContainers().get(0).getEnv().stream().filter(env -> env.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    static SmallRyeConfig operatorConfig(Scenario scenario) {
        Map<String, String> environment = environment(rendered(scenario));
        // Durations as Quarkus writes them ("10s", "2M") need Quarkus' converter, as in the running operator.
        return new SmallRyeConfigBuilder().withSources(new EnvConfigSource(environment, 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(RunTimeOperatorConfiguration.class).withMapping(SlipwayConfig.class).build();
    }

    /** The rules of the operator's roles (not the console roles, which administrators bind to people). */
    static List<PolicyRule> allRules(Manifests manifests) {
        return Stream.concat(
                manifests.ofKind("Role", Role.class).stream().flatMap(role -> role.getRules().stream()),
                manifests.ofKind("ClusterRole", ClusterRole.class).stream()
                        .filter(role -> !role.getMetadata().getName().startsWith("slipway-console-"))
                        .flatMap(role -> role.getRules().stream()))
                .toList();
    }
}
