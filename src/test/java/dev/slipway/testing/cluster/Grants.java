package dev.slipway.testing.cluster;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;

/**
 * What a list of RBAC rules allows, decided as the API server's RBAC authorizer does (rbac/validation RuleAllows) for
 * a chart without wildcards (HelmChartTest forbids them): a rule matches when it names the API group, the resource
 * (a subresource as {@code resource/subresource}) and the verb; a rule with resourceNames only matches requests for
 * those names.
 */
public record Grants(List<PolicyRule> rules) {

    /** Allowed on every object of the resource (what list, watch and create need). */
    public boolean allows(String apiGroup, String resource, String verb) {
        return rules.stream().anyMatch(rule -> matches(rule, apiGroup, resource, verb) && unnamed(rule));
    }

    /** Allowed on the one named object ({@code name} null or empty: on every object, as {@link #allows}). */
    public boolean allowsOn(String apiGroup, String resource, String verb, String name) {
        if (name == null || name.isEmpty()) {
            return allows(apiGroup, resource, verb);
        }
        return rules.stream().anyMatch(rule -> matches(rule, apiGroup, resource, verb)
                && (unnamed(rule) || rule.getResourceNames().contains(name)));
    }

    private static boolean matches(PolicyRule rule, String apiGroup, String resource, String verb) {
        return rule.getApiGroups().contains(apiGroup) && rule.getResources().contains(resource)
                && rule.getVerbs().contains(verb);
    }

    private static boolean unnamed(PolicyRule rule) {
        return rule.getResourceNames() == null || rule.getResourceNames().isEmpty();
    }
}
