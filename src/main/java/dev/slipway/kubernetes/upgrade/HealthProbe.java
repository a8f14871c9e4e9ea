package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.spec.HealthCheckSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Questions asked over HTTP during an upgrade: the application's own health check once its rollout is done, and
 * whether visitors already get the maintenance page after the swap.
 */
@ApplicationScoped
public class HealthProbe {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    /** True when no check is configured, or the URL answers 2xx now. */
    boolean answers(HealthCheckSpec check) {
        if (check == null || check.getUrl() == null) {
            return true;
        }
        return get(check.getUrl()).map(response -> response.statusCode() / 100 == 2).orElse(false);
    }

    /**
     * True when a GET of {@code url} is answered by the maintenance page that sends {@code header: marker} (its own
     * page, not another resource's, whatever the status code: the page answers 503).
     */
    boolean servesPage(URI url, String header, String marker) {
        return get(url.toString()).flatMap(response -> response.headers().firstValue(header)).filter(marker::equals).isPresent();
    }

    private Optional<HttpResponse<Void>> get(String url) {
        try {
            return Optional.of(http.send(HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
