package dev.slipway.cli;

import dev.slipway.kubernetes.admin.SpecChange;

import static dev.slipway.cli.UserApiServer.managedUpgrades;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The cluster commands run in-process through picocli with a fixed clock, against the CRUD API server with each
 * person's RBAC enforced ({@link UserApiServer}): alice may get, list and patch ManagedUpgrades, bob may only get and
 * list them. Each starts from a case of the status golden files, written as the operator would have.
 */
class ClusterCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UserApiServer.User ALICE = UserApiServer.User.withRules("alice",
            managedUpgrades("get", "list", "patch"));
    private static final UserApiServer.User BOB = UserApiServer.User.withRules("bob", managedUpgrades("get", "list"));
    private static final String FORBIDDEN_PATCH = "error: patch of ManagedUpgrade shop/shop refused (403 Forbidden):"
            + " managedupgrades.slipway.dev \"shop\" is forbidden: User \"bob\" cannot patch resource"
            + " \"managedupgrades\" in API group \"slipway.dev\" in the namespace \"shop\"";

    @TempDir
    Path directory;

    private UserApiServer server;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void startServer() {
        server = new UserApiServer(ALICE, BOB);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void anAdminApprovesThePlannedTargetAndOnlyThatFieldAndWhoChange() throws IOException {
        ManagedUpgrade before = create("waiting-for-approval");

        Run run = run(new ApproveCommand(), ALICE, "shop");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("ManagedUpgrade shop/shop: spec.policy.approvedVersion: 1.0.5 → 1.2.0"
                + " (requested by alice). Next: the upgrade to 1.2.0 starts at the next window,"
                + " Sat 28 Nov 02:00 Europe/Berlin (01:00 UTC, in 1d 22h).");
        assertThat(run.err()).isEmpty();
        ManagedUpgrade after = stored();
        ObjectNode expectedSpec = (ObjectNode) tree(before.getSpec());
        ((ObjectNode) expectedSpec.get("policy")).put("approvedVersion", "1.2.0");
        assertThat(tree(after.getSpec())).isEqualTo(expectedSpec);
        assertThat(tree(after.getStatus())).isEqualTo(tree(before.getStatus()));
        assertThat(after.getMetadata().getAnnotations()).isEqualTo(Map.of(SpecChange.REQUESTED_BY, "alice"));
        // fabric8's patch reads the object once more before it sends the PATCH
        assertThat(server.requests()).startsWith(
                "alice GET /apis/slipway.dev/v1alpha1/namespaces/shop/managedupgrades/shop",
                "alice POST /apis/authentication.k8s.io/v1/selfsubjectreviews")
                .endsWith("alice PATCH /apis/slipway.dev/v1alpha1/namespaces/shop/managedupgrades/shop")
                .filteredOn(request -> request.contains("PATCH")).hasSize(1);
    }

    @Test
    void aViewerIsRefusedByTheApiServerInOneLineAndNothingChanges() throws IOException {
        ManagedUpgrade before = create("waiting-for-approval");

        Run run = run(new ApproveCommand(), BOB, "shop", "1.2.0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo(FORBIDDEN_PATCH);
        assertThat(run.out()).isEmpty();
        assertThat(stored().getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    }

    @Test
    void anUnknownNameIsNamedWithTheNamespace() throws IOException {
        create("waiting-for-approval");

        Run run = run(new PauseCommand(), ALICE, "shpo");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("error: get of ManagedUpgrade shop/shpo refused (404 NotFound): there"
                + " is no ManagedUpgrade shpo in namespace shop");
    }

    @Test
    void aVersionThatIsNotThePlannedTargetIsRefusedBeforeAnyPatch() throws IOException {
        ManagedUpgrade before = create("waiting-for-approval");

        Run notPlanned = run(new ApproveCommand(), ALICE, "shop", "1.1.0");
        List<String> requestsAfterNotPlanned = server.requests();
        Run notAVersion = run(new ApproveCommand(), ALICE, "shop", "1.2");

        assertThat(notPlanned.exitCode()).isEqualTo(1);
        assertThat(notPlanned.err().strip()).isEqualTo("error: approve of ManagedUpgrade shop/shop refused: 1.1.0 is"
                + " not the planned target 1.2.0; approve 1.2.0, or choose 1.1.0 with slipway select-version");
        assertThat(requestsAfterNotPlanned).noneMatch(request -> request.contains("PATCH"));
        assertThat(notAVersion.exitCode()).isEqualTo(2);
        assertThat(notAVersion.err().strip()).isEqualTo("error: VERSION: '1.2' is not a semantic version (such as 2.0.0)");
        assertThat(server.requests()).as("no request for a malformed version").isEqualTo(requestsAfterNotPlanned);
        assertThat(stored().getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    }

    @Test
    void approvalOfAnAutomaticPolicyIsRefusedNamingTheFieldToChange() throws IOException {
        create("upgrading");

        Run run = run(new ApproveCommand(), ALICE, "shop");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("error: approve of ManagedUpgrade shop/shop refused: shop upgrades"
                + " without approval (spec.policy.approval: Automatic), so there is nothing to approve; to approve"
                + " each upgrade, set spec.policy.approval: Manual in the resource (or in Git)");
    }

    @Test
    void abandonWithoutYesAndWithoutATerminalIsRefusedBeforeAnyRequest() throws IOException {
        create("failed-held");
        AbandonCommand abandon = new AbandonCommand();
        abandon.prompt = null;

        Run run = run(abandon, ALICE, "shop");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("error: --yes: abandon restores traffic and replicas but leaves the"
                + " database and images as they are, and there is no terminal to confirm on: give --yes to abandon");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void abandonAsksWithWhatStaysAndWhatIsRestoredAndActsOnlyOnYes() throws IOException {
        ManagedUpgrade before = create("failed-held");
        List<String> questions = new ArrayList<>();
        AbandonCommand declined = new AbandonCommand();
        declined.prompt = question -> {
            questions.add(question);
            return "no";
        };
        AbandonCommand confirmed = new AbandonCommand();
        confirmed.prompt = question -> "yes";

        Run no = run(declined, ALICE, "shop");
        String afterNo = stored().getMetadata().getResourceVersion();
        Run yes = run(confirmed, ALICE, "shop");

        assertThat(questions).singleElement().asString().contains(
                "Abandon the upgrade of shop/shop from 1.0.0 to 2.0.0?",
                "Restored: traffic goes from the maintenance page back to the application, and each component gets"
                        + " back the replicas it had before the upgrade; the page is scaled down.",
                "Stays: the database stays migrated to 1.2.0 (committed migrations are not undone)",
                "2.0.0 is not tried again until slipway retry shop -n shop");
        assertThat(no.exitCode()).isEqualTo(1);
        assertThat(no.err().strip()).isEqualTo("error: abandon of ManagedUpgrade shop/shop refused: not confirmed;"
                + " nothing was changed");
        assertThat(afterNo).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(yes.exitCode()).as(yes.err()).isZero();
        assertThat(stored().getSpec().getActions().getAbandon()).isEqualTo("2026-11-26T02:10:00Z by alice");
        assertThat(yes.out()).startsWith("ManagedUpgrade shop/shop: spec.actions.abandon: (unset) →"
                + " 2026-11-26T02:10:00Z by alice (requested by alice). Next: the operator sends traffic back");
    }

    @Test
    void withoutSelfSubjectReviewTheTokenHasNoNameAndNoEarlierRequesterIsLeftNamed() throws IOException {
        create("waiting-for-approval");
        run(new PauseCommand(), ALICE, "shop");
        server.withoutSelfSubjectReview();

        Run run = run(new StartNowCommand(), ALICE, "shop");

        assertThat(run.exitCode()).as(run.err()).isZero();
        ManagedUpgrade after = stored();
        assertThat(after.getSpec().getActions().getStartNow()).isEqualTo("2026-11-26T02:10:00Z");
        assertThat(after.getMetadata().getAnnotations()).doesNotContainKey(SpecChange.REQUESTED_BY);
        assertThat(run.out().strip()).isEqualTo("ManagedUpgrade shop/shop: spec.actions.startNow: (unset) →"
                + " 2026-11-26T02:10:00Z. Next: the upgrade to 1.2.0 waits for approval: slipway approve shop -n shop.");
    }

    @Test
    void pauseAndResumeSetAndRemoveTheFlagAndSayWhatTheRunningUpgradeDoes() throws IOException {
        create("upgrading");

        Run pause = run(new PauseCommand(), ALICE, "shop");
        Boolean pausedAfterPause = stored().getSpec().getPolicy().getPaused();
        Run again = run(new PauseCommand(), ALICE, "shop");
        Run resume = run(new ResumeCommand(), ALICE, "shop");

        assertThat(pause.out().strip()).isEqualTo("ManagedUpgrade shop/shop: spec.policy.paused: (unset) → true"
                + " (requested by alice). Next: the upgrade to 2.0.0 stops before its next step (the one under way,"
                + " Migrating the database to 2.0.0 (schema 4) (hop 2 of 2), finishes first); slipway resume shop -n"
                + " shop goes on.");
        assertThat(pausedAfterPause).isTrue();
        assertThat(again.out()).startsWith("ManagedUpgrade shop/shop: nothing to change, spec.policy.paused is already"
                + " true. Next:");
        assertThat(resume.out().strip()).isEqualTo("ManagedUpgrade shop/shop: spec.policy.paused: true → (unset)"
                + " (requested by alice). Next: the upgrade to 2.0.0 goes on with Migrating the database to 2.0.0"
                + " (schema 4) (hop 2 of 2).");
        assertThat(stored().getSpec().getPolicy().getPaused()).isNull();
    }

    @Test
    void selectVersionPinsAndWithManualApprovalApprovesToo() throws IOException {
        create("waiting-for-approval");
        // an earlier approval bound to its plan: choosing another version must not stay bound to that plan
        server.fixtures().resources(ManagedUpgrade.class).inNamespace("shop").withName("shop")
                .edit(resource -> {
                    resource.getSpec().getPolicy().setApprovedPlanHash("0123456789abcdef");
                    return resource;
                });

        Run run = run(new SelectVersionCommand(), ALICE, "shop", "2.0.0");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(stored().getSpec().getPolicy().getVersion()).isEqualTo("2.0.0");
        assertThat(stored().getSpec().getPolicy().getApprovedVersion()).isEqualTo("2.0.0");
        assertThat(stored().getSpec().getPolicy().getApprovedPlanHash()).isNull();
        assertThat(run.out().strip()).isEqualTo("ManagedUpgrade shop/shop: spec.policy.version: (unset) → 2.0.0,"
                + " spec.policy.approvedVersion: 1.0.5 → 2.0.0, spec.policy.approvedPlanHash: 0123456789abcdef →"
                + " (unset) (requested by alice). Next: the operator plans the path"
                + " to 2.0.0 at its next look and starts it at the next window, Sat 28 Nov 02:00 Europe/Berlin"
                + " (01:00 UTC, in 1d 22h); 2.0.0 is not among the available updates (1.1.0, 1.2.0), so the plan may"
                + " be Blocked: see slipway status shop -n shop.");
    }

    @Test
    void retryAndStartNowRefuseWhereTheirValueWouldWaitForALaterUpgrade() throws IOException {
        create("upgrading");

        Run retry = run(new RetryCommand(), ALICE, "shop");
        Run startNow = run(new StartNowCommand(), ALICE, "shop");

        assertThat(retry.exitCode()).isEqualTo(1);
        assertThat(retry.err().strip()).isEqualTo("error: retry of ManagedUpgrade shop/shop refused: no upgrade failed"
                + " or was rolled back or abandoned (phase Upgrading); the upgrade to 2.0.0 is running");
        assertThat(startNow.exitCode()).isEqualTo(1);
        assertThat(startNow.err().strip()).isEqualTo("error: start-now of ManagedUpgrade shop/shop refused: the"
                + " upgrade to 2.0.0 is already under way");
        assertThat(server.requests()).noneMatch(request -> request.contains("PATCH"));
    }

    @Test
    void retryOfAHeldFailureGoesOnFromTheFailedStep() throws IOException {
        create("failed-held");

        Run run = run(new RetryCommand(), ALICE, "shop");

        assertThat(run.out().strip()).isEqualTo("ManagedUpgrade shop/shop: spec.actions.retry: (unset) →"
                + " 2026-11-26T02:10:00Z by alice (requested by alice). Next: the operator goes on with the upgrade to"
                + " 2.0.0 from the failed step, Migrate 2.0.0.");
    }

    @Test
    void aResourceThatChangedAfterItWasReadIsAConflictAndKeepsTheOtherWritersChange() throws IOException {
        create("waiting-for-approval");
        server.statusWriteBeforeNextPatch("{\"latestVersion\": \"2.0.1\"}");

        Run run = run(new ApproveCommand(), ALICE, "shop");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("error: patch of ManagedUpgrade shop/shop refused (409 Conflict): it"
                + " changed after it was read (the operator writes its status as the upgrade moves on); nothing was"
                + " changed, run the command again");
        assertThat(stored().getSpec().getPolicy().getApprovedVersion()).isEqualTo("1.0.5");
        assertThat(stored().getStatus().getLatestVersion()).isEqualTo("2.0.1");
    }

    @Test
    void statusPrintsTheTextOrTheJsonOfOneAndATableOfAll() throws IOException {
        create("waiting-for-approval");

        Run text = run(new StatusCommand(), BOB, "shop");
        Run json = run(new StatusCommand(), BOB, "shop", "-o", "json");
        Run table = run(new StatusCommand(), BOB);

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out().strip()).isEqualTo(StatusText.render(StatusView.of(stored()),
                StatusTextGoldenTest.CLOCK.instant()));
        assertThat(text.out()).startsWith("shop/shop is at 1.0.0; the upgrade to 1.2.0 waits for approval");
        JsonNode view = JSON.readTree(json.out());
        assertThat(view.get("phase").asText()).isEqualTo("WaitingForApproval");
        assertThat(view.at("/approval/targetApproved").asBoolean()).isFalse();
        assertThat(view.at("/hops/0/reason").asText()).isEqualTo("RequiredStop");
        assertThat(table.out().lines().toList()).hasSize(2).first().asString().startsWith("NAME");
    }

    @Test
    void allNamespacesListsTheResourcesOfEveryNamespaceTheUserMayList() throws IOException {
        create("waiting-for-approval");
        server.fixtures().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("crm").endMetadata()
                .build()).create();
        ManagedUpgrade other = StatusTextGoldenTest.read(StatusTextGoldenTest.CASES.resolve("failed-held"));
        other.getMetadata().setNamespace("crm");
        other.getMetadata().setName("crm");
        other.setStatus(null);
        other.getMetadata().setGeneration(null);
        server.fixtures().resource(other).create();

        Run all = run(new StatusCommand(), BOB, "-A");
        Run withName = run(new StatusCommand(), BOB, "-A", "shop");

        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out().lines().map(line -> line.split("\\s+")[0] + " " + line.split("\\s+")[1]).toList())
                .containsExactly("NAMESPACE NAME", "crm crm", "shop shop");
        assertThat(withName.exitCode()).isEqualTo(2);
        assertThat(withName.err().strip()).isEqualTo("error: --all-namespaces: lists every namespace; give no NAME"
                + " with it, or -n NAMESPACE NAME for one");
    }

    @Test
    void theContextOptionChoosesWhoActs() throws IOException {
        create("waiting-for-approval");

        Run run = run(new ApproveCommand(), ALICE, "shop", "--context", "bob@test");
        Run unknown = run(new ApproveCommand(), ALICE, "shop", "--context", "carol@test");

        assertThat(run.err().strip()).isEqualTo(FORBIDDEN_PATCH);
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err().strip()).isEqualTo("error: --context: the kubeconfig has no context named 'carol@test'");
    }

    @Test
    void anApiServerThatDoesNotAnswerIsAConnectionErrorNamingIt() throws IOException {
        Path kubeconfig;
        String url;
        try (UserApiServer stopped = new UserApiServer(ALICE)) {
            kubeconfig = stopped.kubeconfig(directory, ALICE);
            url = stopped.url();
        }

        Run run = runWith(new StatusCommand(), "shop", "--kubeconfig", kubeconfig.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("error: cannot reach the Kubernetes API at " + url)
                .contains("to get ManagedUpgrade shop/shop").doesNotContain("\n");
    }

    private Run run(Callable<Integer> command, UserApiServer.User user, String... arguments) throws IOException {
        String[] all = new String[arguments.length + 2];
        System.arraycopy(arguments, 0, all, 0, arguments.length);
        all[arguments.length] = "--kubeconfig";
        all[arguments.length + 1] = server.kubeconfig(directory, user).toString();
        return runWith(command, all);
    }

    private static Run runWith(Callable<Integer> command, String... arguments) {
        if (command instanceof ManagedUpgradeAction action) {
            action.clock = StatusTextGoldenTest.CLOCK;
        } else if (command instanceof StatusCommand status) {
            status.clock = StatusTextGoldenTest.CLOCK;
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(arguments);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** Creates the case's resource, then writes its status as the operator does. */
    private ManagedUpgrade create(String goldenCase) {
        ManagedUpgrade resource = StatusTextGoldenTest.read(StatusTextGoldenTest.CASES.resolve(goldenCase));
        ManagedUpgradeStatus status = resource.getStatus();
        resource.setStatus(null);
        resource.getMetadata().setGeneration(null);
        ManagedUpgrade created = server.fixtures().resource(resource).create();
        created.setStatus(status);
        return server.fixtures().resource(created).updateStatus();
    }

    private ManagedUpgrade stored() {
        return server.fixtures().resources(ManagedUpgrade.class).inNamespace("shop").withName("shop").get();
    }

    private static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }
}
