package dev.slipway.kubernetes.page;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.kubernetes.workload.Workloads;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Names and labels shared by the maintenance page's objects; all are owned by the ManagedUpgrade. A ManagedUpgrade
 * name is a DNS-1123 subdomain (up to 253 characters, dots allowed), but the page's Service name must be a DNS-1035
 * label (at most 63 characters, a letter first, no dots) and label values at most 63 characters: names that do not
 * fit are shortened deterministically with a hash of the full name, so two resources never share page objects.
 */
public final class PageNames {

    public static final int PAGE_PORT = 8080;
    public static final int SERVICE_PORT = 80;
    /** Kubernetes' limit for a DNS-1035/1123 label and for a label value. */
    static final int MAX_LABEL = 63;
    /** Kubernetes' limit for a DNS-1123 subdomain, the name of most objects. */
    private static final int MAX_SUBDOMAIN = 253;
    private static final String SUFFIX = "-maintenance";
    private static final java.util.Set<String> OWNED_LABELS = java.util.Set.of("app.kubernetes.io/name",
            "app.kubernetes.io/instance", "app.kubernetes.io/managed-by", Workloads.WATCHED_LABEL);
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    /** "-" and 8 hex digits of the full name's sha256. */
    private static final int HASH_LENGTH = 9;

    private PageNames() {
    }

    public static String name(ManagedUpgrade resource) {
        return name(resource.getMetadata().getName());
    }

    /** The page objects' name for a ManagedUpgrade named {@code upgradeName}: a DNS-1035 label. */
    static String name(String upgradeName) {
        String plain = upgradeName + SUFFIX;
        if (plain.length() <= MAX_LABEL && DNS_1035_LABEL.matcher(plain).matches()) {
            return plain;
        }
        String stem = upgradeName.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (stem.isEmpty() || !Character.isLetter(stem.charAt(0))) {
            stem = "mu-" + stem;
        }
        return trimmed(stem, MAX_LABEL - SUFFIX.length() - HASH_LENGTH) + hash(upgradeName) + SUFFIX;
    }

    /**
     * The name of the copy, in the application's namespace, of the operator's pull Secret {@code source}: prefixed
     * with the page's name so it never replaces a Secret of the application, shortened with a hash of the full name
     * beyond the 253 characters a Secret name may have.
     */
    static String copiedPullSecret(ManagedUpgrade resource, String source) {
        String plain = name(resource) + "-" + source;
        return plain.length() <= MAX_SUBDOMAIN ? plain
                : trimmed(plain, MAX_SUBDOMAIN - HASH_LENGTH) + hash(plain);
    }

    /** The value of the {@code app.kubernetes.io/instance} label: the ManagedUpgrade's name when it fits. */
    static String instanceLabel(String upgradeName) {
        if (upgradeName.length() <= MAX_LABEL && LABEL_VALUE.matcher(upgradeName).matches()) {
            return upgradeName;
        }
        return trimmed(upgradeName, MAX_LABEL - HASH_LENGTH) + hash(upgradeName);
    }

    public static Map<String, String> selector(ManagedUpgrade resource) {
        return Map.of("app.kubernetes.io/name", "slipway-maintenance-page",
                "app.kubernetes.io/instance", instanceLabel(resource.getMetadata().getName()));
    }

    static ObjectMeta metadata(ManagedUpgrade resource) {
        return new ObjectMetaBuilder().withName(name(resource)).withNamespace(resource.getMetadata().getNamespace())
                .withLabels(Map.of("app.kubernetes.io/name", "slipway-maintenance-page",
                        "app.kubernetes.io/instance", instanceLabel(resource.getMetadata().getName()),
                        "app.kubernetes.io/managed-by", "slipway"))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind()).withName(resource.getMetadata().getName())
                        .withUid(resource.getMetadata().getUid()).withController(true).build())
                .build();
    }

    /** The labels among {@code labels} that Slipway sets on page objects (others may be added by anyone). */
    static Map<String, String> ownedLabels(Map<String, String> labels) {
        Map<String, String> owned = new java.util.TreeMap<>();
        if (labels != null) {
            labels.forEach((key, value) -> {
                if (OWNED_LABELS.contains(key)) {
                    owned.put(key, value);
                }
            });
        }
        return owned;
    }

    /** At most {@code length} characters of {@code value}, ending in a letter or digit as labels must. */
    private static String trimmed(String value, int length) {
        String cut = value.substring(0, Math.min(length, value.length()));
        return cut.replaceAll("[^A-Za-z0-9]+$", "");
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
