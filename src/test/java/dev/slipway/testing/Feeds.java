package dev.slipway.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/** Builds Release API documents for tests. */
public final class Feeds {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode root = MAPPER.createObjectNode();
    private final ArrayNode releases;

    private Feeds(String product) {
        root.put("product", product);
        root.put("generatedAt", "2026-11-20T10:00:00Z");
        releases = root.putArray("releases");
    }

    public static Feeds product(String product) {
        return new Feeds(product);
    }

    /** Adds a stable release published long ago; returns its node for further fields. */
    public ObjectNode release(String version) {
        ObjectNode release = releases.addObject();
        release.put("version", version);
        release.putArray("channels").add("stable");
        release.put("publishedAt", "2026-01-01T00:00:00Z");
        return release;
    }

    public Feeds with(String version) {
        release(version);
        return this;
    }

    public Feeds generatedAt(String instant) {
        root.put("generatedAt", instant);
        return this;
    }

    public String json() {
        return root.toString();
    }

    /** The base64 Ed25519 signature of {@code body}, as a vendor publishes it (header or {@code .sig}). */
    public static String sign(byte[] body, PrivateKey vendor) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(vendor);
            ed25519.update(body);
            return Base64.getEncoder().encodeToString(ed25519.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519", e);
        }
    }
}
