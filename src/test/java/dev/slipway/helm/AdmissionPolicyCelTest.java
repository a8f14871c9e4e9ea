package dev.slipway.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelOptionalLibrary;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.kubernetes.access.ManagedUpgradeVerb;
import dev.slipway.kubernetes.admin.AdminChanges;
import dev.slipway.kubernetes.admin.SpecChange;
import dev.slipway.testing.cluster.AdmissionDispatcher;
import dev.slipway.testing.cluster.Grants;
import dev.slipway.testing.cluster.Manifests;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicySpec;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The chart's ValidatingAdmissionPolicy decided as kube-apiserver decides it, with cel-java: the CEL expressions are
 * read from the rendered chart, compiled against the variables the API server declares ({@code object},
 * {@code oldObject}, {@code request}, {@code authorizer}, {@code variables}; the objects as dynamic maps, where the API
 * server types them by the CRD's schema) and evaluated on old and new ManagedUpgrades that differ by the very merge
 * patches the console and the CLI send ({@link AdminChanges}). The authorizer answers from the chart's own console
 * ClusterRoles, bound to the user in the resource's namespace, and records every check it is asked.
 */
class AdmissionPolicyCelTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-05T18:40:07Z");
    private static final Manifests CHART = render();
    private static final Policy POLICY = new Policy(AdmissionPolicyChartTest.policy(CHART).getSpec());

    private static final User ADMIN = new User("alice", "retail", consoleRole("slipway-console-admin"));
    private static final User VIEWER = new User("bob", "retail", consoleRole("slipway-console-viewer"));
    private static final User OPERATOR = new User("system:serviceaccount:slipway-system:slipway", "retail",
            new Grants(HelmChartTest.applicationClusterRole(CHART).getRules()));

    /** Each console action: its change (AdminChanges, as the console makes it), the verb the console checks, the fields. */
    enum Action {
        SELECT_VERSION((resource, token) -> AdminChanges.selectVersion(resource, "2.0.0"), ManagedUpgradeVerb.APPROVE,
                "spec.policy.version", "spec.policy.approvedVersion"),
        APPROVE((resource, token) -> AdminChanges.approve(resource, "1.2.0", "c0ffee"), ManagedUpgradeVerb.APPROVE,
                "spec.policy.approvedVersion", "spec.policy.approvedPlanHash"),
        START_NOW(AdminChanges::startNow, ManagedUpgradeVerb.START, "spec.actions.startNow"),
        PAUSE((resource, token) -> AdminChanges.pause(resource), ManagedUpgradeVerb.PAUSE, "spec.policy.paused"),
        RESUME((resource, token) -> AdminChanges.resume(resource), ManagedUpgradeVerb.PAUSE, "spec.policy.paused") {
            @Override
            ManagedUpgrade before(ManagedUpgrade resource) {
                return paused(resource);
            }
        },
        RETRY(AdminChanges::retry, ManagedUpgradeVerb.RETRY, "spec.actions.retry"),
        ABANDON(AdminChanges::abandon, ManagedUpgradeVerb.ABANDON, "spec.actions.abandon");

        final BiFunction<ManagedUpgrade, String, SpecChange> change;
        final ManagedUpgradeVerb verb;
        final List<String> fields;

        Action(BiFunction<ManagedUpgrade, String, SpecChange> change, ManagedUpgradeVerb verb, String... fields) {
            this.change = change;
            this.verb = verb;
            this.fields = List.of(fields);
        }

        /** The resource the action is taken on. */
        ManagedUpgrade before(ManagedUpgrade resource) {
            return resource;
        }

        /** The update the API server admits or refuses when {@code user} takes this action on {@code resource}. */
        Update by(User user, ManagedUpgrade resource) {
            ManagedUpgrade before = before(resource);
            String token = AdminChanges.actionToken(NOW, Optional.of(user.name()));
            return Update.patching(before, change.apply(before, token).mergePatch("41", Optional.of(user.name())));
        }
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void anAdminMayTakeEveryActionAndIsAskedForItsVerbOnTheOneManagedUpgrade(Action action) {
        Outcome outcome = POLICY.admit(action.by(ADMIN, manualApproval()), ADMIN);

        assertThat(outcome.denials()).isEmpty();
        assertThat(outcome.asked()).isNotEmpty().allSatisfy(check ->
                assertThat(check).isEqualTo(action.verb.verb() + " slipway.dev/managedupgrades retail/shop"));
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void aViewerIsRefusedEveryActionWithAMessageNamingTheFieldAndTheVerb(Action action) {
        Outcome outcome = POLICY.admit(action.by(VIEWER, manualApproval()), VIEWER);

        assertThat(outcome.matched()).isTrue();
        assertThat(outcome.denials()).containsExactlyInAnyOrderElementsOf(action.fields.stream()
                .map(field -> "bob may not change " + field + " of ManagedUpgrade retail/shop: that needs the verb "
                        + action.verb.verb() + " on managedupgrades.slipway.dev").toList());
    }

    @Test
    void aUserGrantedOnlyApproveMayApproveButNotStartTheUpgradeOutsideTheWindow() {
        User approver = new User("carol", "retail", new Grants(List.of(new PolicyRuleBuilder()
                .withApiGroups("slipway.dev").withResources("managedupgrades").withVerbs("get", "patch", "approve")
                .build())));

        assertThat(POLICY.admit(Action.APPROVE.by(approver, manualApproval()), approver).denials()).isEmpty();
        assertThat(POLICY.admit(Action.START_NOW.by(approver, manualApproval()), approver).denials())
                .containsExactly("carol may not change spec.actions.startNow of ManagedUpgrade retail/shop: that needs"
                        + " the verb start on managedupgrades.slipway.dev");
    }

    @Test
    void theVerbsAreCheckedOnTheChangedResourceOnlyARoleBoundInAnotherNamespaceDoesNotCount() {
        User elsewhere = new User("dave", "wiki", consoleRole("slipway-console-admin"));

        assertThat(POLICY.admit(Action.PAUSE.by(elsewhere, manualApproval()), elsewhere).denials()).singleElement()
                .asString().startsWith("dave may not change spec.policy.paused");
    }

    @Test
    void changesToOtherFieldsNeedNoVerbAndTheAuthorizerIsNotAsked() {
        ManagedUpgrade before = requestedBy(manualApproval(), "alice");
        Update update = Update.patching(before, """
                {"metadata": {"labels": {"team": "shop"}},
                 "spec": {"policy": {"minReleaseAge": "24h", "allow": "Minor"},
                          "maintenance": {"timeZone": "Europe/Berlin"}}}
                """);

        Outcome outcome = POLICY.admit(update, VIEWER);

        assertThat(outcome.denials()).isEmpty();
        assertThat(outcome.asked()).isEmpty();
    }

    @Test
    void absentPolicyAndActionsAreUnsetNotErrorsAndSettingPausedFalseIsNoChange() {
        ManagedUpgrade minimal = read("minimal.yaml");

        assertThat(POLICY.admit(Action.PAUSE.by(ADMIN, minimal), ADMIN).denials()).isEmpty();
        assertThat(POLICY.admit(Action.PAUSE.by(VIEWER, minimal), VIEWER).denials()).hasSize(1);
        assertThat(POLICY.admit(Action.ABANDON.by(VIEWER, minimal), VIEWER).denials()).hasSize(1);
        assertThat(POLICY.admit(Update.patching(minimal, "{\"spec\": {\"policy\": {\"paused\": false}}}"), VIEWER)
                .denials()).isEmpty();
    }

    @Test
    void theOperatorsOwnChangesAreNotCheckedThoughItHasNoneOfTheVerbs() {
        Update consoleApproval = Action.APPROVE.by(ADMIN, manualApproval());

        Outcome outcome = POLICY.admit(consoleApproval, OPERATOR);

        assertThat(outcome.matched()).as("the policy applies to the operator's requests").isFalse();
        assertThat(outcome.denials()).as("what the exemption spares it: it may patch but not approve, and it writes the"
                + " console user's name").hasSize(3);
    }

    @Test
    void nobodyMayNameAnotherUserAsTheRequesterButMayRemoveTheName() {
        ManagedUpgrade resource = manualApproval();
        String forged = AdminChanges.pause(resource).mergePatch("41", Optional.of("alice"));
        String anonymous = AdminChanges.pause(resource).mergePatch("41", Optional.empty());
        User pauser = new User("erin", "retail", new Grants(List.of(new PolicyRuleBuilder()
                .withApiGroups("slipway.dev").withResources("managedupgrades").withVerbs("patch", "pause").build())));

        assertThat(POLICY.admit(Update.patching(resource, forged), pauser).denials()).containsExactly(
                "erin may not set the annotation slipway.dev/requested-by of ManagedUpgrade retail/shop to another"
                        + " user: it names who asked for a change");
        assertThat(POLICY.admit(Update.patching(requestedBy(resource, "alice"), anonymous), pauser).denials())
                .isEmpty();
    }

    // --- The API server's side ----------------------------------------------------------------------------

    /** A user whose RBAC rules are bound (RoleBinding) in one namespace. */
    record User(String name, String boundNamespace, Grants grants) {

        Map<String, Object> userInfo() {
            return Map.of("username", name, "groups", List.of("system:authenticated"));
        }
    }

    /** One UPDATE of a ManagedUpgrade: the stored object and the one after the patch. */
    record Update(JsonNode oldObject, JsonNode object) {

        /** The stored resource and the patch applied to it as the API server applies a merge patch. */
        static Update patching(ManagedUpgrade stored, String mergePatch) {
            JsonNode old = json(stored);
            try {
                return new Update(old, AdmissionDispatcher.mergePatch(old.deepCopy(), JSON.readTree(mergePatch)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * What the policy decided.
     *
     * @param matched   whether its matchConditions let it apply to the request
     * @param denials   the messages of the validations that failed (evaluated even when it does not apply, to show
     *                  what an exemption spares)
     * @param asked     the authorizer's checks, as {@code verb group/resource namespace/name}
     */
    record Outcome(boolean matched, List<String> denials, List<String> asked) {
    }

    /** The policy's expressions, compiled once as the API server compiles them when the policy is created. */
    static final class Policy {

        private static final OpaqueType AUTHORIZER = OpaqueType.create("kubernetes.authorization.Authorizer");
        private static final OpaqueType GROUP_CHECK = OpaqueType.create("kubernetes.authorization.GroupCheck");
        private static final OpaqueType RESOURCE_CHECK = OpaqueType.create("kubernetes.authorization.ResourceCheck");
        private static final OpaqueType DECISION = OpaqueType.create("kubernetes.authorization.Decision");
        private static final Cel CEL = kubernetesEnvironment();

        private final List<CelRuntime.Program> matchConditions = new ArrayList<>();
        private final Map<String, CelRuntime.Program> variables = new LinkedHashMap<>();
        private final List<Validation> validations = new ArrayList<>();

        private record Validation(CelRuntime.Program expression, CelRuntime.Program message) {
        }

        Policy(ValidatingAdmissionPolicySpec spec) {
            spec.getMatchConditions().forEach(condition ->
                    matchConditions.add(program(condition.getExpression(), SimpleType.BOOL)));
            spec.getVariables().forEach(variable ->
                    variables.put(variable.getName(), program(variable.getExpression(), SimpleType.DYN)));
            spec.getValidations().forEach(validation -> validations.add(new Validation(
                    program(validation.getExpression(), SimpleType.BOOL),
                    program(validation.getMessageExpression(), SimpleType.STRING))));
        }

        Outcome admit(Update update, User user) {
            Authorizer authorizer = new Authorizer(user);
            Map<String, Object> activation = new LinkedHashMap<>();
            activation.put("object", celValue(update.object()));
            activation.put("oldObject", celValue(update.oldObject()));
            activation.put("request", Map.of("operation", "UPDATE", "userInfo", user.userInfo()));
            activation.put("authorizer", authorizer);
            boolean matched = matchConditions.stream().allMatch(condition -> (Boolean) eval(condition, activation));
            Map<String, Object> values = new LinkedHashMap<>();
            variables.forEach((name, expression) -> values.put(name, eval(expression, activation)));
            activation.put("variables", values);
            List<String> denials = validations.stream().filter(validation -> !(Boolean) eval(validation.expression(),
                    activation)).map(validation -> (String) eval(validation.message(), activation)).toList();
            return new Outcome(matched, denials, authorizer.asked);
        }

        private static Object eval(CelRuntime.Program program, Map<String, Object> activation) {
            try {
                return program.eval(activation);
            } catch (CelEvaluationException e) {
                throw new AssertionError("the API server would refuse the request (failurePolicy Fail): " + e, e);
            }
        }

        private static CelRuntime.Program program(String expression, CelType resultType) {
            try {
                CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
                if (resultType != SimpleType.DYN) {
                    assertThat(ast.getResultType()).as("type of %s", expression).isEqualTo(resultType);
                }
                return CEL.createProgram(ast);
            } catch (CelValidationException | CelEvaluationException e) {
                throw new AssertionError("the API server would refuse the policy: " + e.getMessage(), e);
            }
        }

        /**
         * The variables of a ValidatingAdmissionPolicy, CEL's optional syntax (on in Kubernetes since 1.29), and
         * the authorization library's chain {@code authorizer.group(g).resource(r).namespace(n).name(n).check(verb)
         * .allowed()} with the type names kube-apiserver gives it.
         */
        private static Cel kubernetesEnvironment() {
            return CelFactory.standardCelBuilder()
                    .setOptions(CelOptions.current().enableOptionalSyntax(true).build())
                    .addCompilerLibraries(CelOptionalLibrary.INSTANCE)
                    .addRuntimeLibraries(CelOptionalLibrary.INSTANCE)
                    .addVar("object", SimpleType.DYN)
                    .addVar("oldObject", SimpleType.DYN)
                    .addVar("request", SimpleType.DYN)
                    .addVar("authorizer", AUTHORIZER)
                    .addVar("variables", MapType.create(SimpleType.STRING, SimpleType.DYN))
                    .addFunctionDeclarations(
                            member("group", "authorizer_group", GROUP_CHECK, AUTHORIZER, SimpleType.STRING),
                            member("resource", "groupcheck_resource", RESOURCE_CHECK, GROUP_CHECK, SimpleType.STRING),
                            member("namespace", "resourcecheck_namespace", RESOURCE_CHECK, RESOURCE_CHECK,
                                    SimpleType.STRING),
                            member("name", "resourcecheck_name", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING),
                            member("check", "resourcecheck_check", DECISION, RESOURCE_CHECK, SimpleType.STRING),
                            member("allowed", "decision_allowed", SimpleType.BOOL, DECISION))
                    .addFunctionBindings(
                            CelFunctionBinding.from("authorizer_group", Authorizer.class, String.class,
                                    GroupCheck::new),
                            CelFunctionBinding.from("groupcheck_resource", GroupCheck.class, String.class,
                                    GroupCheck::resource),
                            CelFunctionBinding.from("resourcecheck_namespace", ResourceCheck.class, String.class,
                                    ResourceCheck::inNamespace),
                            CelFunctionBinding.from("resourcecheck_name", ResourceCheck.class, String.class,
                                    ResourceCheck::named),
                            CelFunctionBinding.from("resourcecheck_check", ResourceCheck.class, String.class,
                                    ResourceCheck::check),
                            CelFunctionBinding.from("decision_allowed", Decision.class, Decision::allowed))
                    .build();
        }

        private static CelFunctionDecl member(String function, String overload, CelType result, CelType receiver,
                CelType... arguments) {
            List<CelType> parameters = new ArrayList<>(List.of(receiver));
            parameters.addAll(List.of(arguments));
            return CelFunctionDecl.newFunctionDeclaration(function,
                    CelOverloadDecl.newMemberOverload(overload, result, parameters));
        }
    }

    /** The API server's authorizer for one user: answers from the user's RBAC rules and records what it was asked. */
    static final class Authorizer {

        final User user;
        final List<String> asked = new ArrayList<>();

        Authorizer(User user) {
            this.user = user;
        }
    }

    /** {@code authorizer.group(g)}. */
    record GroupCheck(Authorizer authorizer, String group) {

        ResourceCheck resource(String resource) {
            return new ResourceCheck(authorizer, group, resource, "", "");
        }
    }

    /** {@code .resource(r)}, then {@code .namespace(n).name(n)}: the object one check is about. */
    record ResourceCheck(Authorizer authorizer, String group, String resource, String namespace, String name) {

        ResourceCheck inNamespace(String namespace) {
            return new ResourceCheck(authorizer, group, resource, namespace, name);
        }

        ResourceCheck named(String name) {
            return new ResourceCheck(authorizer, group, resource, namespace, name);
        }

        Decision check(String verb) {
            authorizer.asked.add(verb + " " + group + "/" + resource + " " + namespace + "/" + name);
            User user = authorizer.user;
            return new Decision(namespace.equals(user.boundNamespace())
                    && user.grants().allowsOn(group, resource, verb, name));
        }
    }

    record Decision(boolean allowed) {
    }

    // --- Fixtures -----------------------------------------------------------------------------------------

    private static Manifests render() {
        try {
            return Manifests.parse(HelmChartTest.renderWithValues(AdmissionPolicyChartTest.ENABLED));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Grants consoleRole(String name) {
        return new Grants(CHART.ofKind("ClusterRole", ClusterRole.class).stream()
                .filter(role -> role.getMetadata().getName().equals(name)).findFirst().orElseThrow().getRules());
    }

    /** examples/managedupgrades/manual-approval.yaml as stored (in namespace retail): nothing approved yet. */
    private static ManagedUpgrade manualApproval() {
        return read("manual-approval.yaml");
    }

    private static ManagedUpgrade read(String example) {
        try {
            ManagedUpgrade resource = SERIALIZATION.unmarshal(
                    Files.readString(Path.of("examples/managedupgrades").resolve(example)), ManagedUpgrade.class);
            resource.getMetadata().setResourceVersion("41");
            // a namespace unlike the name, so that a check mixing the two up is refused
            resource.getMetadata().setNamespace("retail");
            return resource;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ManagedUpgrade paused(ManagedUpgrade resource) {
        return patched(resource, AdminChanges.pause(resource).mergePatch("41", Optional.of("alice")));
    }

    private static ManagedUpgrade requestedBy(ManagedUpgrade resource, String user) {
        return patched(resource, "{\"metadata\": {\"annotations\": {\"" + SpecChange.REQUESTED_BY + "\": \"" + user
                + "\"}}}");
    }

    private static ManagedUpgrade patched(ManagedUpgrade resource, String mergePatch) {
        return SERIALIZATION.convertValue(Update.patching(resource, mergePatch).object(), ManagedUpgrade.class);
    }

    private static JsonNode json(ManagedUpgrade resource) {
        return SERIALIZATION.convertValue(resource, JsonNode.class);
    }

    /** JSON as CEL values: maps, lists, strings, booleans, int (long) and double. */
    private static Object celValue(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> map.put(field.getKey(), celValue(field.getValue())));
            return map;
        }
        if (node.isArray()) {
            return StreamSupport.stream(node.spliterator(), false).map(AdmissionPolicyCelTest::celValue).toList();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.isBoolean() ? node.booleanValue() : node.textValue();
    }
}
