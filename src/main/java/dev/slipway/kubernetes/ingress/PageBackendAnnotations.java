package dev.slipway.kubernetes.ingress;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Ingress annotations that tell a controller how to talk to the backend, and what they must say while the backend is
 * the maintenance page: it serves plain HTTP/1.1, answers 200 only on its readiness path ({@link #PAGE_HEALTH_PATH})
 * and 503 everywhere else. Only annotations the controllers document are touched; everything else (routing, TLS,
 * authentication, Traefik's {@code router.*}) stays as it is, because it still applies to the page.
 *
 * <p>Annotations a controller reads from the Service rather than the Ingress need nothing here: the page has its own
 * Service, which carries none (Traefik's {@code traefik.ingress.kubernetes.io/service.serversscheme}, and the Service
 * variants of the HAProxy and AWS annotations below).
 */
public final class PageBackendAnnotations {

    /** The page's readiness path (see PageDeployment): the one path on which the page answers 200. */
    public static final String PAGE_HEALTH_PATH = "/status.json";

    /** A documented annotation: whether it concerns this Ingress, and what it must say for the page (null: absent). */
    private record Rule(String name, Predicate<Map<String, String>> appliesTo, UnaryOperator<String> forPage) {
    }

    private static final Predicate<Map<String, String>> ANY = annotations -> true;

    /**
     * AWS Load Balancer Controller Ingresses are recognised by their {@code alb.ingress.kubernetes.io/} annotations
     * (an internet-facing ALB needs at least {@code scheme}); only for them are health-check annotations added.
     */
    private static final Predicate<Map<String, String>> ALB = annotations -> annotations.keySet().stream()
            .anyMatch(name -> name.startsWith("alb.ingress.kubernetes.io/"));

    private static final List<Rule> RULES = List.of(
            // ingress-nginx, "Backend Protocol": HTTP (the default), HTTPS, GRPC, GRPCS, AJP, FCGI.
            // https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#backend-protocol
            switchTo("nginx.ingress.kubernetes.io/backend-protocol", "HTTP"),

            // HAProxy Kubernetes Ingress Controller (haproxytech): documentation/annotations.md. Ingress annotations
            // may carry any of the prefixes ingress.kubernetes.io/, haproxy.org/ and haproxy.com/. server-ssl
            // (default "false") speaks TLS to the backend; server-proto's only value "h2" speaks HTTP/2 to it;
            // check-http turns the backend check into an HTTP request on that path, which the page answers with 503
            // except on its readiness path.
            switchTo("haproxy.org/server-ssl", "false"),
            switchTo("haproxy.com/server-ssl", "false"),
            switchTo("ingress.kubernetes.io/server-ssl", "false"),
            remove("haproxy.org/server-proto"),
            remove("haproxy.com/server-proto"),
            remove("ingress.kubernetes.io/server-proto"),
            switchTo("haproxy.org/check-http", PAGE_HEALTH_PATH),
            switchTo("haproxy.com/check-http", PAGE_HEALTH_PATH),
            switchTo("ingress.kubernetes.io/check-http", PAGE_HEALTH_PATH),

            // HAProxy Ingress (jcmoraisjr), configuration keys "backend-protocol" (h1 default, alias http; h1-ssl,
            // https, h2, grpc, h2-ssl, grpcs) and "secure-backends" (which makes even h1 speak TLS), with the prefixes
            // haproxy-ingress.github.io/ and ingress.kubernetes.io/.
            // https://haproxy-ingress.github.io/docs/configuration/keys/#backend-protocol
            switchTo("haproxy-ingress.github.io/backend-protocol", "h1", "http"),
            switchTo("ingress.kubernetes.io/backend-protocol", "h1", "http"),
            switchTo("haproxy-ingress.github.io/secure-backends", "false"),
            switchTo("ingress.kubernetes.io/secure-backends", "false"),

            // AWS Load Balancer Controller, docs/guide/ingress/annotations.md: backend-protocol HTTP (default) | HTTPS;
            // backend-protocol-version HTTP1 (default) | HTTP2 | GRPC. The page's target group is health-checked with
            // the Ingress's health-check annotations: on the application's path (or the default "/", or
            // "/AWS.ALB/healthcheck" for GRPC) the page answers 503 and its targets would never become healthy, so
            // the check goes to the page's readiness path over HTTP on the traffic port, expecting 200.
            switchTo("alb.ingress.kubernetes.io/backend-protocol", "HTTP"),
            switchTo("alb.ingress.kubernetes.io/backend-protocol-version", "HTTP1"),
            switchTo("alb.ingress.kubernetes.io/healthcheck-protocol", "HTTP"),
            switchTo("alb.ingress.kubernetes.io/healthcheck-port", "traffic-port"),
            switchTo("alb.ingress.kubernetes.io/success-codes", "200"),
            new Rule("alb.ingress.kubernetes.io/healthcheck-path", ALB, value -> PAGE_HEALTH_PATH));

    private PageBackendAnnotations() {
    }

    /**
     * The annotations to change so that the Ingress's controller talks to the page as what it is: name to the value
     * for the page, null meaning "remove". Empty when nothing needs changing. Sorted, so its JSON is stable.
     */
    public static Map<String, String> forPage(Map<String, String> annotations) {
        Map<String, String> changes = new TreeMap<>();
        for (Rule rule : RULES) {
            if (!rule.appliesTo().test(annotations)) {
                continue;
            }
            String current = annotations.get(rule.name());
            String wanted = rule.forPage().apply(current);
            if (!Objects.equals(current, wanted)) {
                changes.put(rule.name(), wanted);
            }
        }
        return changes;
    }

    /** Present with any value but {@code plain} (or one of its documented aliases, in any case): {@code plain}. */
    private static Rule switchTo(String name, String plain, String... aliases) {
        return new Rule(name, ANY, value -> value == null || value.equalsIgnoreCase(plain)
                || List.of(aliases).contains(value.toLowerCase(Locale.ROOT)) ? value : plain);
    }

    private static Rule remove(String name) {
        return new Rule(name, ANY, value -> null);
    }
}
