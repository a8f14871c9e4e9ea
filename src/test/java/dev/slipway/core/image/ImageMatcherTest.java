package dev.slipway.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Running images match release images through what admission webhooks do to them (digest pins, mirrors). */
class ImageMatcherTest {

    private static final String RELEASED = "registry.example.com/acme/web:2.0.0";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void aTagPinnedToADigestIsStillTheTag() {
        ImageMatcher exact = ImageMatcher.exact();

        assertThat(exact.matches(RELEASED, RELEASED)).isTrue();
        assertThat(exact.matches(RELEASED + "@" + DIGEST, RELEASED)).isTrue();
        assertThat(exact.matches("registry.example.com/acme/web:1.0.0@" + DIGEST, RELEASED)).isFalse();
        assertThat(exact.matches("registry.example.com/acme/api:2.0.0", RELEASED)).isFalse();
        assertThat(exact.matches("registry.example.com/acme/web:2.0", RELEASED)).isFalse();
    }

    @Test
    void digestsDecideWhenBothSidesCarryOne() {
        ImageMatcher exact = ImageMatcher.exact();

        assertThat(exact.matches("registry.example.com/acme/web@" + DIGEST, RELEASED + "@" + DIGEST)).isTrue();
        assertThat(exact.matches(RELEASED + "@sha256:" + "cd".repeat(32), RELEASED + "@" + DIGEST)).isFalse();
        assertThat(exact.matches("registry.example.com/acme/web@" + DIGEST, RELEASED))
                .as("a digest alone says nothing about a tag").isFalse();
        assertThat(exact.matches("registry.example.com/acme/web", "registry.example.com/acme/web:latest")).isTrue();
        assertThat(exact.matches("localhost:5000/web", "localhost:5000/web:latest")).as("a port is no tag").isTrue();
    }

    @Test
    void configuredMirrorsAreUndone() {
        ImageMatcher replacing = new ImageMatcher(List.of(new ImageMatcher.Rewrite("registry.example.com/", "mirror.local/")));
        ImageMatcher prefixing = new ImageMatcher(List.of(new ImageMatcher.Rewrite("", "mirror.local/")));

        assertThat(replacing.matches("mirror.local/acme/web:2.0.0", RELEASED)).isTrue();
        assertThat(replacing.matches("mirror.local/acme/web:2.0.0@" + DIGEST, RELEASED)).isTrue();
        assertThat(prefixing.matches("mirror.local/registry.example.com/acme/web:2.0.0", RELEASED)).isTrue();
        assertThat(prefixing.matches("other.local/registry.example.com/acme/web:2.0.0", RELEASED)).isFalse();
        assertThat(ImageMatcher.exact().matches("mirror.local/acme/web:2.0.0", RELEASED)).isFalse();
    }

    @Test
    void asReleasedUndoesTheMirrorAndTheAddedDigest() {
        ImageMatcher prefixing = new ImageMatcher(List.of(new ImageMatcher.Rewrite("", "mirror.local/")));

        assertThat(prefixing.asReleased("mirror.local/" + RELEASED + "@" + DIGEST)).isEqualTo(RELEASED);
        assertThat(prefixing.asReleased(RELEASED)).isEqualTo(RELEASED);
        assertThat(ImageMatcher.exact().asReleased("registry.example.com/acme/web@" + DIGEST))
                .as("a digest without a tag is the reference itself").isEqualTo("registry.example.com/acme/web@" + DIGEST);
    }
}
