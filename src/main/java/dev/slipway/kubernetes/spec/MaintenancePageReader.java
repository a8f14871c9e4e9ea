package dev.slipway.kubernetes.spec;

import dev.slipway.api.v1alpha1.spec.MaintenancePageServiceType;
import dev.slipway.api.v1alpha1.spec.MaintenancePageSpec;
import dev.slipway.core.InvalidSpecException;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validates {@code spec.maintenancePage} and applies its defaults. Everything here ends up in the page's pod spec,
 * where the API server would refuse a bad value only when the page is needed, in the middle of a maintenance window:
 * checked now, the resource is Invalid at once and names the field instead.
 */
public final class MaintenancePageReader {

    static final String FIELD = "spec.maintenancePage";
    public static final int DEFAULT_REPLICAS = 2;
    /**
     * What the page server needs: the request covers its measured peak of 138 MiB under 200 SSE streams and 500
     * GET/s, the limit leaves a quarter free beyond it (BENCHMARKS.md, P8). An admin may change any of it per key.
     */
    public static final Map<String, Quantity> DEFAULT_REQUESTS = Map.of("cpu", new Quantity("50m"),
            "memory", new Quantity("144Mi"));
    public static final Map<String, Quantity> DEFAULT_LIMITS = Map.of("memory", new Quantity("192Mi"));
    /**
     * Below this the page's JVM, its heap a quarter of the limit, has no room for what it loads besides: it idles at
     * about 131 MiB resident and peaks at 138 MiB under load with a 48 MiB heap (BENCHMARKS.md, P8).
     */
    static final Quantity MIN_MEMORY_LIMIT = new Quantity("160Mi");
    private static final Set<String> RESOURCE_NAMES = Set.of("cpu", "memory", "ephemeral-storage");
    private static final Set<String> TOLERATION_EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    /** A Docker/OCI image reference: lower-case repository path, optional tag, optional digest. */
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?"
            + "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
            + "(?:@[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,})?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private MaintenancePageReader() {
    }

    /** The page settings of {@code page} (null: every default). */
    public static ResolvedSpec.Page read(MaintenancePageSpec page) {
        MaintenancePageSpec given = page == null ? new MaintenancePageSpec() : page;
        String image = given.getImage() == null ? null : image(given.getImage());
        int replicas = given.getReplicas() == null ? DEFAULT_REPLICAS : given.getReplicas();
        if (replicas < 1) {
            throw new InvalidSpecException(FIELD + ".replicas", "must be at least 1, not " + replicas);
        }
        if (given.getPriorityClassName() != null) {
            dnsSubdomain(given.getPriorityClassName(), FIELD + ".priorityClassName");
        }
        return new ResolvedSpec.Page(image, pullSecrets(given.getImagePullSecrets()), resources(given.getResources()),
                nodeSelector(given.getNodeSelector()), tolerations(given.getTolerations()),
                given.getPriorityClassName(), replicas,
                given.getServiceType() == null ? MaintenancePageServiceType.ClusterIP : given.getServiceType());
    }

    private static String image(String image) {
        if (image.length() > 255 || !IMAGE.matcher(image).matches()) {
            throw new InvalidSpecException(FIELD + ".image", "'" + image + "' is not an image reference such as "
                    + "registry.example.com/slipway/slipway:0.1.0");
        }
        return image;
    }

    private static List<String> pullSecrets(List<String> names) {
        if (names == null) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String at = FIELD + ".imagePullSecrets[" + i + "]";
            dnsSubdomain(names.get(i), at);
            if (!seen.add(names.get(i))) {
                throw new InvalidSpecException(at, "duplicate Secret name '" + names.get(i) + "'");
            }
        }
        return List.copyOf(names);
    }

    /** The defaults, with every key the admin gave replacing its default. */
    private static ResourceRequirements resources(ResourceRequirements given) {
        String at = FIELD + ".resources";
        Map<String, Quantity> requests = new TreeMap<>(DEFAULT_REQUESTS);
        Map<String, Quantity> limits = new TreeMap<>(DEFAULT_LIMITS);
        if (given != null) {
            if (given.getClaims() != null && !given.getClaims().isEmpty()) {
                throw new InvalidSpecException(at + ".claims", "not supported: the page uses no dynamic resources");
            }
            Map<String, Quantity> givenRequests = quantities(given.getRequests(), at + ".requests");
            Map<String, Quantity> givenLimits = quantities(given.getLimits(), at + ".limits");
            givenLimits.forEach((name, limit) -> {
                // A lower limit than the default request would make the defaults invalid: the request follows it.
                if (!givenRequests.containsKey(name) && requests.containsKey(name)
                        && amount(requests.get(name)).compareTo(amount(limit)) > 0) {
                    requests.put(name, limit);
                }
            });
            requests.putAll(givenRequests);
            limits.putAll(givenLimits);
        }
        requests.forEach((name, request) -> {
            Quantity limit = limits.get(name);
            if (limit != null && amount(request).compareTo(amount(limit)) > 0) {
                throw new InvalidSpecException(at + ".requests." + name, "must not exceed the limit " + limit);
            }
        });
        Quantity memoryLimit = limits.get("memory");
        if (memoryLimit != null && amount(memoryLimit).compareTo(amount(MIN_MEMORY_LIMIT)) < 0) {
            throw new InvalidSpecException(at + ".limits.memory", "must be at least " + MIN_MEMORY_LIMIT
                    + ": the page server's JVM does not run in less");
        }
        return new ResourceRequirements(null, limits, requests);
    }

    private static Map<String, Quantity> quantities(Map<String, Quantity> given, String at) {
        Map<String, Quantity> checked = new LinkedHashMap<>();
        if (given == null) {
            return checked;
        }
        given.forEach((name, quantity) -> {
            if (!RESOURCE_NAMES.contains(name)) {
                throw new InvalidSpecException(at + "." + name, "unknown resource: use cpu, memory or "
                        + "ephemeral-storage");
            }
            BigDecimal amount;
            try {
                amount = amount(quantity);
            } catch (RuntimeException e) {
                throw new InvalidSpecException(at + "." + name, "'" + quantity + "' is not a quantity such as 100m "
                        + "or 128Mi");
            }
            if (amount.signum() <= 0) {
                throw new InvalidSpecException(at + "." + name, "must be greater than 0");
            }
            checked.put(name, quantity);
        });
        return checked;
    }

    /** The value of a quantity, comparable however it is written (0.5 and 500m, 1Gi and 1024Mi). */
    public static BigDecimal amount(Quantity quantity) {
        if (quantity == null || quantity.getAmount() == null || quantity.getAmount().isBlank()) {
            throw new IllegalArgumentException("empty quantity");
        }
        return quantity.getNumericalAmount();
    }

    private static Map<String, String> nodeSelector(Map<String, String> selector) {
        if (selector == null) {
            return Map.of();
        }
        selector.forEach((key, value) -> {
            String at = FIELD + ".nodeSelector." + key;
            labelKey(key, at);
            if (value == null || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                throw new InvalidSpecException(at, "'" + value + "' is not a label value (up to 63 letters, digits, "
                        + "'-', '_' or '.', starting and ending with a letter or digit)");
            }
        });
        return new TreeMap<>(selector);
    }

    private static List<Toleration> tolerations(List<Toleration> tolerations) {
        if (tolerations == null) {
            return List.of();
        }
        for (int i = 0; i < tolerations.size(); i++) {
            String at = FIELD + ".tolerations[" + i + "]";
            Toleration toleration = tolerations.get(i);
            if (toleration == null) {
                throw new InvalidSpecException(at, "required");
            }
            String operator = toleration.getOperator() == null ? "Equal" : toleration.getOperator();
            boolean hasKey = toleration.getKey() != null && !toleration.getKey().isEmpty();
            boolean hasValue = toleration.getValue() != null && !toleration.getValue().isEmpty();
            if (hasKey) {
                labelKey(toleration.getKey(), at + ".key");
            }
            switch (operator) {
                case "Equal" -> {
                    if (!hasKey) {
                        throw new InvalidSpecException(at + ".operator", "must be Exists when key is empty");
                    }
                }
                case "Exists" -> {
                    if (hasValue) {
                        throw new InvalidSpecException(at + ".value", "must be empty when operator is Exists");
                    }
                }
                default -> throw new InvalidSpecException(at + ".operator", "must be Equal or Exists, not '"
                        + operator + "'");
            }
            String effect = toleration.getEffect() == null ? "" : toleration.getEffect();
            if (!effect.isEmpty() && !TOLERATION_EFFECTS.contains(effect)) {
                throw new InvalidSpecException(at + ".effect", "must be NoSchedule, PreferNoSchedule or NoExecute, "
                        + "not '" + effect + "'");
            }
            if (toleration.getTolerationSeconds() != null && !effect.equals("NoExecute")) {
                throw new InvalidSpecException(at + ".tolerationSeconds", "applies only to the NoExecute effect");
            }
        }
        return List.copyOf(tolerations);
    }

    /** A label key: an optional DNS-subdomain prefix and '/', then a name of up to 63 characters. */
    private static void labelKey(String key, String at) {
        int slash = key.lastIndexOf('/');
        String name = key.substring(slash + 1);
        boolean prefixValid = slash < 0 || (slash <= 253 && DNS_SUBDOMAIN.matcher(key.substring(0, slash)).matches());
        if (!prefixValid || name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            throw new InvalidSpecException(at, "'" + key + "' is not a label key such as "
                    + "kubernetes.io/os or node-role");
        }
    }

    private static void dnsSubdomain(String name, String at) {
        if (name == null || name.isEmpty() || name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw new InvalidSpecException(at, "'" + name + "' is not a valid name (lower-case letters, digits, "
                    + "'-' and '.', at most 253 characters)");
        }
    }
}
