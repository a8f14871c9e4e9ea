package dev.slipway.demo.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.demo.DemoCluster;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo API server's TokenReview and SubjectAccessReview, asked as the operator asks them. */
class DemoAccessReviewsTest {

    private static final List<String> CONSOLE_VERBS = List.of("get", "patch", "approve", "start", "pause", "retry",
            "abandon");

    @Test
    void exactlyTheTwoTokenFilesAuthenticateAndEachUserMayUseOnlyTheirVerbsInTheDemosNamespace() throws Exception {
        Path tokens;
        try (DemoCluster cluster = DemoCluster.start(true); KubernetesClient client = new KubernetesClientBuilder().build()) {
            DemoCluster.ConsoleTokens files = cluster.consoleTokens().orElseThrow();
            tokens = files.admin().getParent();

            assertThat(user(client, Files.readString(files.admin()))).isEqualTo(DemoAccessReviews.ADMIN);
            assertThat(user(client, Files.readString(files.viewer()))).isEqualTo(DemoAccessReviews.VIEWER);
            assertThat(user(client, "not-a-demo-token")).isNull();
            assertThat(user(client, "")).isNull();

            for (String verb : CONSOLE_VERBS) {
                assertThat(allowed(client, DemoAccessReviews.ADMIN, "shop", "managedupgrades", verb)).as(verb).isTrue();
                assertThat(allowed(client, DemoAccessReviews.VIEWER, "shop", "managedupgrades", verb)).as(verb)
                        .isEqualTo(verb.equals("get"));
                assertThat(allowed(client, "someone-else", "shop", "managedupgrades", verb)).as(verb).isFalse();
            }
            assertThat(allowed(client, DemoAccessReviews.ADMIN, "other", "managedupgrades", "get")).isFalse();
            assertThat(allowed(client, DemoAccessReviews.ADMIN, "shop", "secrets", "get")).isFalse();
            assertThat(allowed(client, DemoAccessReviews.ADMIN, "shop", "managedupgrades", "delete")).isFalse();
        }
        assertThat(tokens.resolve("admin-token")).doesNotExist();
        assertThat(tokens.resolve("viewer-token")).doesNotExist();
    }

    @Test
    void withoutTheConsoleNoTokenFileIsWritten() {
        try (DemoCluster cluster = DemoCluster.start()) {
            assertThat(cluster.consoleTokens()).isEmpty();
            assertThat(cluster.kubeconfig().getParent().resolve("admin-token")).doesNotExist();
        }
    }

    private static String user(KubernetesClient client, String token) {
        TokenReview review = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder().withNewSpec()
                .withToken(token).endSpec().build());
        return Boolean.TRUE.equals(review.getStatus().getAuthenticated()) ? review.getStatus().getUser().getUsername()
                : null;
    }

    private static boolean allowed(KubernetesClient client, String user, String namespace, String resource,
            String verb) {
        return Boolean.TRUE.equals(client.authorization().v1().subjectAccessReview().create(
                new SubjectAccessReviewBuilder().withNewSpec().withUser(user).withGroups("system:authenticated")
                        .withNewResourceAttributes().withGroup(resource.equals("secrets") ? "" : "slipway.dev")
                        .withResource(resource).withNamespace(namespace).withName("shop").withVerb(verb)
                        .endResourceAttributes().endSpec().build()).getStatus().getAllowed());
    }
}
