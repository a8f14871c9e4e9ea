package dev.slipway.testing.cluster;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kube-apiserver's RBAC authorizer for one ServiceAccount, with the Roles and bindings of the Helm chart as
 * rendered for an install mode: {@link #allNamespaces()} (a ClusterRole bound cluster-wide) or
 * {@link #watching(List)} (a Role bound in each listed namespace, nothing cluster-wide). A ClusterRoleBinding's rules
 * apply to every namespace and to cluster-scoped requests, a RoleBinding's only to requests in its own namespace
 * (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding). Every
 * authenticated user also holds the default discovery roles (system:discovery, system:basic-user,
 * system:public-info-viewer: https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles).
 */
public final class RbacAuthorizer {

    /** Rules that apply in {@code namespace}, or everywhere when it is empty. */
    private record Scope(String namespace, Grants grants) {
    }

    /** Non-resource paths the default discovery roles let every authenticated user GET. */
    private static final List<String> DISCOVERY_PATHS = List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz",
            "/livez", "/readyz", "/version", "/version/", "/openapi", "/openapi/*");
    private static final Grants BASIC_USER = new Grants(List.of(new PolicyRuleBuilder()
            .withApiGroups("authorization.k8s.io").withResources("selfsubjectaccessreviews", "selfsubjectrulesreviews")
            .withVerbs("create").build()));

    private final String serviceAccountNamespace;
    private final String serviceAccountName;
    private final String mode;
    private final List<Scope> scopes;

    private RbacAuthorizer(String serviceAccountNamespace, String serviceAccountName, String mode, List<Scope> scopes) {
        this.serviceAccountNamespace = serviceAccountNamespace;
        this.serviceAccountName = serviceAccountName;
        this.mode = mode;
        this.scopes = scopes;
    }

    /** The chart's default install: the operator watches every namespace. */
    public static RbacAuthorizer allNamespaces() {
        return of(Manifests.parse(SlipwayChart.render(command -> command)), "all namespaces");
    }

    /** The chart installed with {@code watchNamespaces}. */
    public static RbacAuthorizer watching(List<String> namespaces) {
        try {
            Path values = Files.createTempFile("slipway-watch-namespaces", ".yaml");
            try {
                Files.writeString(values, "watchNamespaces: [" + String.join(", ", namespaces) + "]\n");
                return of(Manifests.parse(SlipwayChart.render(command -> command.withValuesFile(values))),
                        "watchNamespaces " + String.join(",", namespaces));
            } finally {
                Files.delete(values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rules bound to the chart's operator ServiceAccount (the one its Deployment runs as) in {@code manifests}. */
    static RbacAuthorizer of(Manifests manifests, String mode) {
        Deployment operator = manifests.single("Deployment", Deployment.class);
        String account = operator.getSpec().getTemplate().getSpec().getServiceAccountName();
        String accountNamespace = SlipwayChart.RELEASE_NAMESPACE;
        List<Role> roles = manifests.ofKind("Role", Role.class);
        List<ClusterRole> clusterRoles = manifests.ofKind("ClusterRole", ClusterRole.class);
        List<Scope> scopes = new ArrayList<>();
        for (ClusterRoleBinding binding : manifests.ofKind("ClusterRoleBinding", ClusterRoleBinding.class)) {
            if (names(binding.getSubjects(), accountNamespace, account)) {
                scopes.add(new Scope("", new Grants(rules(binding.getRoleRef(), "", roles, clusterRoles))));
            }
        }
        for (RoleBinding binding : manifests.ofKind("RoleBinding", RoleBinding.class)) {
            String namespace = Optional.ofNullable(binding.getMetadata().getNamespace()).orElse(accountNamespace);
            if (names(binding.getSubjects(), accountNamespace, account)) {
                scopes.add(new Scope(namespace, new Grants(rules(binding.getRoleRef(), namespace, roles, clusterRoles))));
            }
        }
        return new RbacAuthorizer(accountNamespace, account, mode, List.copyOf(scopes));
    }

    private static boolean names(List<Subject> subjects, String namespace, String account) {
        return subjects != null && subjects.stream().anyMatch(subject -> subject.getKind().equals("ServiceAccount")
                && subject.getName().equals(account) && namespace.equals(subject.getNamespace()));
    }

    private static List<PolicyRule> rules(RoleRef reference, String namespace, List<Role> roles,
            List<ClusterRole> clusterRoles) {
        if (reference.getKind().equals("ClusterRole")) {
            return clusterRoles.stream().filter(role -> role.getMetadata().getName().equals(reference.getName()))
                    .flatMap(role -> role.getRules().stream()).toList();
        }
        return roles.stream().filter(role -> role.getMetadata().getName().equals(reference.getName())
                && namespace.equals(Optional.ofNullable(role.getMetadata().getNamespace())
                        .orElse(SlipwayChart.RELEASE_NAMESPACE)))
                .flatMap(role -> role.getRules().stream()).toList();
    }

    /** {@code system:serviceaccount:<namespace>:<name>}, the user name a ServiceAccount token authenticates as. */
    public String user() {
        return "system:serviceaccount:" + serviceAccountNamespace + ":" + serviceAccountName;
    }

    /** The groups every ServiceAccount is in. */
    public List<String> groups() {
        return List.of("system:serviceaccounts", "system:serviceaccounts:" + serviceAccountNamespace,
                "system:authenticated");
    }

    /** The install mode the rules were rendered for, as a human reads it. */
    public String mode() {
        return mode;
    }

    public boolean allows(RbacRequest request) {
        if (!request.resourceRequest()) {
            return request.verb().equals("get") && DISCOVERY_PATHS.stream().anyMatch(pattern -> pattern.endsWith("*")
                    ? request.path().startsWith(pattern.substring(0, pattern.length() - 1))
                    : request.path().equals(pattern));
        }
        return allowsIn(request.namespace(), request.apiGroup(), request.combinedResource(), request.verb(),
                request.name());
    }

    /** Whether the account may {@code verb} the object {@code name} (empty: any) in {@code namespace} (empty: cluster). */
    public boolean allowsIn(String namespace, String apiGroup, String resource, String verb, String name) {
        return BASIC_USER.allowsOn(apiGroup, resource, verb, name) || scopes.stream()
                .filter(scope -> scope.namespace().isEmpty() || scope.namespace().equals(namespace))
                .anyMatch(scope -> scope.grants().allowsOn(apiGroup, resource, verb, name));
    }
}
