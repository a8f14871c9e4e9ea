package dev.slipway.core.image;

import java.util.List;

/**
 * Tells whether a running image is a release's image although admission may have rewritten it on the way: a
 * mutating webhook can pin {@code repo:tag} to {@code repo:tag@sha256:d}, a registry-mirror webhook can move it to a
 * mirror. Images match by repository and tag, or by digest when both carry one; a mirror configured as a
 * {@link Rewrite} is undone before comparing.
 */
public final class ImageMatcher {

    /** A registry rewrite: images starting with {@code from} run as {@code to} + the rest. {@code from} may be empty. */
    public record Rewrite(String from, String to) {
    }

    private final List<Rewrite> rewrites;

    public ImageMatcher(List<Rewrite> rewrites) {
        this.rewrites = List.copyOf(rewrites);
    }

    public static ImageMatcher exact() {
        return new ImageMatcher(List.of());
    }

    /** Whether {@code running} (as found in a Pod template) is {@code released} (as the feed names it). */
    public boolean matches(String running, String released) {
        if (running == null || released == null) {
            return false;
        }
        if (same(Reference.parse(running), Reference.parse(released))) {
            return true;
        }
        for (Rewrite rewrite : rewrites) {
            if (running.startsWith(rewrite.to())
                    && same(Reference.parse(rewrite.from() + running.substring(rewrite.to().length())),
                            Reference.parse(released))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code running} as the feed or the operator's configuration would name it: a configured mirror undone, and a
     * digest that admission added to a tag dropped.
     */
    public String asReleased(String running) {
        if (running == null) {
            return null;
        }
        String image = running;
        for (Rewrite rewrite : rewrites) {
            if (image.startsWith(rewrite.to())) {
                image = rewrite.from() + image.substring(rewrite.to().length());
                break;
            }
        }
        Reference reference = Reference.parse(image);
        return reference.tag() != null && reference.digest() != null ? image.substring(0, image.indexOf('@')) : image;
    }

    private static boolean same(Reference a, Reference b) {
        if (!a.repository().equals(b.repository())) {
            return false;
        }
        if (a.digest() != null && b.digest() != null) {
            return a.digest().equals(b.digest());
        }
        return a.tag() != null && a.tag().equals(b.tag());
    }

    /** {@code repository[:tag][@digest]}; the tag is null when only a digest is given. */
    record Reference(String repository, String tag, String digest) {
        static Reference parse(String image) {
            int at = image.indexOf('@');
            String digest = at < 0 ? null : image.substring(at + 1);
            String named = at < 0 ? image : image.substring(0, at);
            int colon = named.lastIndexOf(':');
            if (colon > named.lastIndexOf('/')) {
                return new Reference(named.substring(0, colon), named.substring(colon + 1), digest);
            }
            // No tag: Docker's reference rules make that "latest" unless a digest pins the image.
            return new Reference(named, digest == null ? "latest" : null, digest);
        }
    }
}
