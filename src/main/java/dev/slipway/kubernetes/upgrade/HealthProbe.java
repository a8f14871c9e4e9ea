package dev.slipway.kubernetes.upgrade;

import dev.slipway.api.v1alpha1.spec.HealthCheckSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The application's own health check, asked over HTTP once its rollout is done. */
@ApplicationScoped
public class HealthProbe {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    /** True when no check is configured, or the URL answers 2xx now. */
    boolean answers(HealthCheckSpec check) {
        if (check == null || check.getUrl() == null) {
            return true;
        }
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(check.getUrl()))
                    .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
