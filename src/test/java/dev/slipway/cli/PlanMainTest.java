package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.testing.Feeds;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan} through the real entry point never says "up to date" when something newer exists or is unknown. */
@QuarkusMainTest
@TestProfile(CliTestProfile.class)
class PlanMainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private Path feed;

    @BeforeEach
    void publish() throws IOException {
        feed = Files.writeString(directory.resolve("releases.json"),
                Feeds.product("shop").with("1.0.0").with("1.1.0").with("2.0.0").json());
    }

    @Test
    void aNewerMajorReleaseIsNamedWithTheOptionThatPlansIt(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult json = launcher.launch(plan("--current", "1.1.0"));
        LaunchResult text = launcher.launch(plan("--current", "1.1.0", "-o", "text"));

        assertThat(json.exitCode()).isZero();
        JsonNode result = JSON.readTree(json.getOutput());
        assertThat(result.get("target").isNull()).isTrue();
        assertThat(result.get("upToDate").asBoolean()).isFalse();
        assertThat(result.at("/notes/0").asText()).isEqualTo("2.0.0 is available but is a major upgrade: use --allow major");
        assertThat(text.getOutput()).doesNotContain("up to date")
                .contains("1.1.0: no upgrade planned.", "note: 2.0.0 is available but is a major upgrade: use --allow major");
    }

    @Test
    void anUnknownChannelIsAnErrorNamingTheChannelsThatExist(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch(plan("--current", "1.0.0", "--channel", "beta"));

        assertThat(result.exitCode()).isEqualTo(2);
        JsonNode error = JSON.readTree(result.getOutput()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("UnknownChannel");
        assertThat(error.get("field").asText()).isEqualTo("--channel");
        assertThat(error.get("message").asText()).isEqualTo("channel 'beta' has no releases in the feed of shop;"
                + " its channels are stable");
    }

    @Test
    void aCurrentVersionOutsideTheFeedAndAPinBeyondAllowAreSaid(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult unknownCurrent = launcher.launch(plan("--current", "2.0.7", "-o", "text"));
        LaunchResult pinned = launcher.launch(plan("--current", "1.0.0", "--version", "2.0.0"));

        assertThat(unknownCurrent.exitCode()).isZero();
        assertThat(unknownCurrent.getOutput()).doesNotContain("up to date")
                .contains("note: the current version 2.0.7 is not in the feed: check --current");
        JsonNode result = JSON.readTree(pinned.getOutput());
        assertThat(result.get("target").asText()).isEqualTo("2.0.0");
        assertThat(result.at("/notes/0").asText()).isEqualTo("--version 2.0.0 is a major upgrade and overrides --allow minor");
    }

    @Test
    void theNewestReleaseIsUpToDate(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult text = launcher.launch(plan("--current", "2.0.0", "-o", "text"));

        assertThat(text.getOutput().strip()).isEqualTo("2.0.0 is up to date: no newer release on the channel.");
    }

    private String[] plan(String... arguments) {
        String[] all = new String[arguments.length + 5];
        all[0] = "plan";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        System.arraycopy(new String[] {"--feed", feed.toString(), "--product", "shop"}, 0, all, arguments.length + 1, 4);
        return all;
    }
}
