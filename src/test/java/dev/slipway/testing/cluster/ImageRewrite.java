package dev.slipway.testing.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/**
 * What an image-rewriting mutating webhook does to the images of Pod templates (policy engines such as Kyverno's
 * image verification pin tags to digests; registry-mirror webhooks move images to a mirror): see
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/ for mutating admission.
 */
public interface ImageRewrite extends UnaryOperator<String> {

    /** Leaves images as they are. */
    ImageRewrite NONE = image -> image;

    /** {@code repo:tag} becomes {@code repo:tag@sha256:<digest>} ({@link #digestOf}); pinned images stay. */
    static ImageRewrite pinDigests() {
        return image -> image.contains("@") ? image : image + "@" + digestOf(image);
    }

    /** {@code registry.example.com/acme/web:1.0} becomes {@code <mirror>/registry.example.com/acme/web:1.0}. */
    static ImageRewrite mirror(String mirrorPrefix) {
        String prefix = mirrorPrefix.endsWith("/") ? mirrorPrefix : mirrorPrefix + "/";
        return image -> image.startsWith(prefix) ? image : prefix + image;
    }

    /** The digest the emulated registry reports for an image reference: sha256 of the reference itself. */
    static String digestOf(String image) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
