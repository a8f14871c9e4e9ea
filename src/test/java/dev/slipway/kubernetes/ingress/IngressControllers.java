package dev.slipway.kubernetes.ingress;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ingress annotations as admins write them for each supported controller, with what the page needs changed: the
 * table both the pure and the API-server tests of the swap run over.
 *
 * @param forPage annotation to its value for the page; null means removed
 */
record IngressControllers(String name, Map<String, String> annotations, Map<String, String> forPage) {

    @Override
    public String toString() {
        return name;
    }

    static List<IngressControllers> all() {
        return List.of(
                of("ingress-nginx HTTPS backend", Map.of(
                        "nginx.ingress.kubernetes.io/backend-protocol", "HTTPS",
                        "nginx.ingress.kubernetes.io/proxy-body-size", "10m",
                        "nginx.ingress.kubernetes.io/ssl-redirect", "true"),
                        "nginx.ingress.kubernetes.io/backend-protocol", "HTTP"),
                of("ingress-nginx GRPC backend", Map.of("nginx.ingress.kubernetes.io/backend-protocol", "GRPC"),
                        "nginx.ingress.kubernetes.io/backend-protocol", "HTTP"),
                of("ingress-nginx GRPCS backend", Map.of("nginx.ingress.kubernetes.io/backend-protocol", "GRPCS"),
                        "nginx.ingress.kubernetes.io/backend-protocol", "HTTP"),
                of("ingress-nginx AJP backend", Map.of("nginx.ingress.kubernetes.io/backend-protocol", "AJP"),
                        "nginx.ingress.kubernetes.io/backend-protocol", "HTTP"),
                of("ingress-nginx FCGI backend", Map.of("nginx.ingress.kubernetes.io/backend-protocol", "FCGI",
                        "nginx.ingress.kubernetes.io/fastcgi-index", "index.php"),
                        "nginx.ingress.kubernetes.io/backend-protocol", "HTTP"),
                of("ingress-nginx HTTP backend", Map.of("nginx.ingress.kubernetes.io/backend-protocol", "http")),
                of("Traefik router annotations", Map.of(
                        "traefik.ingress.kubernetes.io/router.entrypoints", "websecure",
                        "traefik.ingress.kubernetes.io/router.tls", "true",
                        "traefik.ingress.kubernetes.io/router.middlewares", "shop-auth@kubernetescrd")),
                of("HAProxy (haproxytech) TLS and h2 backend with an HTTP check", Map.of(
                        "haproxy.org/server-ssl", "true",
                        "haproxy.org/server-proto", "h2",
                        "haproxy.org/check-http", "/healthz",
                        "haproxy.org/ssl-redirect", "true"),
                        "haproxy.org/server-ssl", "false",
                        "haproxy.org/server-proto", null,
                        "haproxy.org/check-http", "/status.json"),
                of("HAProxy (haproxytech) with the ingress.kubernetes.io prefix", Map.of(
                        "ingress.kubernetes.io/server-ssl", "true"),
                        "ingress.kubernetes.io/server-ssl", "false"),
                of("HAProxy Ingress (jcmoraisjr) h2-ssl backend", Map.of(
                        "haproxy-ingress.github.io/backend-protocol", "h2-ssl",
                        "haproxy-ingress.github.io/secure-backends", "true"),
                        "haproxy-ingress.github.io/backend-protocol", "h1",
                        "haproxy-ingress.github.io/secure-backends", "false"),
                of("HAProxy Ingress (jcmoraisjr) grpc alias, old prefix", Map.of(
                        "ingress.kubernetes.io/backend-protocol", "grpc"),
                        "ingress.kubernetes.io/backend-protocol", "h1"),
                of("HAProxy Ingress (jcmoraisjr) http alias", Map.of(
                        "haproxy-ingress.github.io/backend-protocol", "http")),
                of("AWS Load Balancer Controller GRPC over HTTPS", Map.of(
                        "alb.ingress.kubernetes.io/scheme", "internet-facing",
                        "alb.ingress.kubernetes.io/target-type", "ip",
                        "alb.ingress.kubernetes.io/backend-protocol", "HTTPS",
                        "alb.ingress.kubernetes.io/backend-protocol-version", "GRPC",
                        "alb.ingress.kubernetes.io/healthcheck-path", "/grpc.health.v1.Health/Check",
                        "alb.ingress.kubernetes.io/healthcheck-protocol", "HTTPS",
                        "alb.ingress.kubernetes.io/healthcheck-port", "8443",
                        "alb.ingress.kubernetes.io/success-codes", "0-99"),
                        "alb.ingress.kubernetes.io/backend-protocol", "HTTP",
                        "alb.ingress.kubernetes.io/backend-protocol-version", "HTTP1",
                        "alb.ingress.kubernetes.io/healthcheck-path", "/status.json",
                        "alb.ingress.kubernetes.io/healthcheck-protocol", "HTTP",
                        "alb.ingress.kubernetes.io/healthcheck-port", "traffic-port",
                        "alb.ingress.kubernetes.io/success-codes", "200"),
                of("AWS Load Balancer Controller HTTP2, default health check", Map.of(
                        "alb.ingress.kubernetes.io/scheme", "internet-facing",
                        "alb.ingress.kubernetes.io/backend-protocol-version", "HTTP2"),
                        "alb.ingress.kubernetes.io/backend-protocol-version", "HTTP1",
                        "alb.ingress.kubernetes.io/healthcheck-path", "/status.json"),
                of("no annotations", Map.of()));
    }

    /** @param changes annotation, value for the page (null: removed), annotation, value, ... */
    private static IngressControllers of(String name, Map<String, String> annotations, String... changes) {
        Map<String, String> forPage = new HashMap<>();
        for (int i = 0; i < changes.length; i += 2) {
            forPage.put(changes[i], changes[i + 1]);
        }
        return new IngressControllers(name, annotations, forPage);
    }
}
