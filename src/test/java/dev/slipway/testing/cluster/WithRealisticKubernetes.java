package dev.slipway.testing.cluster;

import io.quarkus.test.common.QuarkusTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opts a {@code @QuarkusTest} (typically an {@code OperatorTestBase}) into the realistic API server instead of
 * {@code @WithKubernetesTestServer}: the CRUD store behind the emulated apiserver write path ({@link AdmissionDispatcher}).
 * Start the controllers in the test with the injected client: {@code new WorkloadControllers(client, clock).start()}
 * and {@code new GarbageCollector(client).start()}.
 */
@QuarkusTestResource(value = RealisticKubernetesTestResource.class, restrictToAnnotatedClass = true)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WithRealisticKubernetes {
}
