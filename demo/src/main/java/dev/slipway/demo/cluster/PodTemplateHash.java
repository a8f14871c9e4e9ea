package dev.slipway.demo.cluster;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Names derived the way the Kubernetes controllers derive them: a template's hash (FNV-1a over the template, printed
 * with the "safe" alphabet that never spells words, as pkg/controller/controller_utils.go ComputeHash and
 * apimachinery's util/rand SafeEncodeString do) and the 5-character random suffix of generateName.
 */
final class PodTemplateHash {

    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private PodTemplateHash() {
    }

    /** The hash of a template, as its JSON after the apiserver's defaulting (so defaulted or not hashes the same). */
    static String of(PodTemplateSpec template) {
        PodTemplateSpec defaulted = ApiServerDefaults.apply(JSON.clone(template));
        int hash = 0x811c9dc5;
        for (byte b : JSON.asJson(defaulted).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return safeEncode(Integer.toUnsignedString(hash));
    }

    /** A generateName suffix: 5 characters of the safe alphabet. */
    static String randomSuffix(Random random) {
        StringBuilder suffix = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            suffix.append(SAFE_ALPHABET.charAt(random.nextInt(SAFE_ALPHABET.length())));
        }
        return suffix.toString();
    }

    private static String safeEncode(String text) {
        StringBuilder encoded = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            encoded.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
        }
        return encoded.toString();
    }
}
