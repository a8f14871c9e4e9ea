package dev.slipway.kubernetes.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What each controller's backend annotations must say while the page serves, annotation by annotation. */
class PageBackendAnnotationsTest {

    static Stream<IngressControllers> controllers() {
        return IngressControllers.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controllers")
    void onlyTheDocumentedBackendAnnotationsChange(IngressControllers controller) {
        assertThat(PageBackendAnnotations.forPage(controller.annotations())).isEqualTo(controller.forPage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controllers")
    void annotationsAlreadyFitForThePageNeedNoFurtherChange(IngressControllers controller) {
        Map<String, String> forPage = new HashMap<>(controller.annotations());
        controller.forPage().forEach((name, value) -> {
            if (value == null) {
                forPage.remove(name);
            } else {
                forPage.put(name, value);
            }
        });
        assertThat(PageBackendAnnotations.forPage(forPage)).isEmpty();
    }

    @Test
    void theHealthCheckPathIsAddedOnlyForTheAwsLoadBalancerController() {
        assertThat(PageBackendAnnotations.forPage(Map.of("kubernetes.io/ingress.class", "nginx"))).isEmpty();
        assertThat(PageBackendAnnotations.forPage(Map.of("alb.ingress.kubernetes.io/scheme", "internal")))
                .containsExactly(Map.entry("alb.ingress.kubernetes.io/healthcheck-path",
                        PageBackendAnnotations.PAGE_HEALTH_PATH));
    }
}
