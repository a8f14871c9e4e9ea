package dev.slipway.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a visitor of the shop sees, measured: the shop's front door on loopback answers as the demo's cluster routes
 * (200 when the Ingress sends traffic to the web Service and a web Pod is available, 503 otherwise: the page or an
 * error), and a client polls it every 20 ms, adding up the time it got no 200. The front door's {@code /healthz}
 * also serves as the ManagedUpgrade's health check.
 */
public final class ShopVisitor implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(20);

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;
    private final HttpServer frontDoor;
    private final HttpClient visitor = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService polling = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-shop-visitor");
        thread.setDaemon(true);
        return thread;
    });
    private Duration downtime = Duration.ZERO;
    private Instant lastVisit;
    private Instant firstServed;

    public ShopVisitor(KubernetesClient client, String namespace, Clock clock) throws IOException {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
        frontDoor = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        frontDoor.createContext("/", this::answer);
        frontDoor.start();
    }

    /** The front door's health endpoint, for {@code spec.application.healthCheck.url}. */
    public String healthUrl() {
        return "http://127.0.0.1:" + frontDoor.getAddress().getPort() + "/healthz";
    }

    /** Starts visiting the shop every 20 ms. */
    public ShopVisitor start() {
        polling.scheduleWithFixedDelay(this::visit, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** How long visitors got no answer from the shop since it first answered after {@link #start()}. */
    public synchronized Duration downtime() {
        return downtime;
    }

    /** When a visit since {@link #start()} first got the shop; empty while none has (a first install not done). */
    public synchronized Optional<Instant> firstServed() {
        return Optional.ofNullable(firstServed);
    }

    private void visit() {
        boolean served;
        try {
            HttpResponse<Void> response = visitor.send(HttpRequest.newBuilder(URI.create(healthUrl()))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
            served = response.statusCode() == 200;
        } catch (IOException e) {
            // the demo's own loopback call failed (a loaded machine): that says nothing about the shop
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            // the shop's own first start (its Pods becoming Ready after the install) is no downtime
            if (lastVisit == null && !served) {
                return;
            }
            Instant now = clock.instant();
            if (firstServed == null) {
                firstServed = now;
            }
            if (!served) {
                downtime = downtime.plus(Duration.between(lastVisit, now));
            }
            lastVisit = now;
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        boolean serving;
        try {
            serving = routedToWeb() && availableWebPods() > 0;
        } catch (RuntimeException e) {
            serving = false;
        }
        byte[] body = (serving ? "shop serving" : "maintenance page or no web Pod").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(serving ? 200 : 503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private boolean routedToWeb() {
        Ingress ingress = client.network().v1().ingresses().inNamespace(namespace).withName(SampleApplication.INGRESS)
                .get();
        return "web".equals(ingress.getSpec().getDefaultBackend().getService().getName());
    }

    private int availableWebPods() {
        Deployment web = client.apps().deployments().inNamespace(namespace).withName("web").get();
        return web.getStatus() == null || web.getStatus().getAvailableReplicas() == null ? 0
                : web.getStatus().getAvailableReplicas();
    }

    @Override
    public void close() {
        polling.shutdownNow();
        frontDoor.stop(0);
    }
}
