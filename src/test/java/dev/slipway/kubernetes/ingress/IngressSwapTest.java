package dev.slipway.kubernetes.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.testing.IngressJson;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The swap and its undo on a CRUD API server, for each controller's annotations: the page gets every backend and the
 * annotations it needs, and the restore gives back the Ingress byte for byte (all but the resourceVersion and
 * generation, which the API server owns), from the Ingress's own copies or from the status's.
 */
@EnableKubernetesMockClient(crud = true)
class IngressSwapTest {

    private static final String NAMESPACE = "shop";
    private static final String PAGE = "shop-maintenance";
    private static final int PAGE_PORT = 80;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NAMES = new AtomicInteger();

    KubernetesClient client;

    static Stream<IngressControllers> controllers() {
        return IngressControllers.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controllers")
    void swapPointsEveryBackendAtThePageWithTheAnnotationsItNeeds(IngressControllers controller) {
        Ingress original = create(controller);
        IngressSwap swap = new IngressSwap(client);

        IngressSwap.Saved saved = swap.swapTo(NAMESPACE, original.getMetadata().getName(), PAGE, PAGE_PORT);

        Ingress swapped = get(original);
        assertThat(swapped.getSpec().getDefaultBackend().getService().getName()).isEqualTo(PAGE);
        assertThat(swapped.getSpec().getRules()).flatExtracting(rule -> rule.getHttp().getPaths())
                .extracting(HTTPIngressPath::getBackend).allSatisfy(backend -> {
                    assertThat(backend.getService().getName()).isEqualTo(PAGE);
                    assertThat(backend.getService().getPort().getNumber()).isEqualTo(PAGE_PORT);
                });
        assertThat(swapped.getSpec().getTls()).isEqualTo(original.getSpec().getTls());
        Map<String, String> expected = new HashMap<>(controller.annotations());
        controller.forPage().forEach((name, value) -> {
            if (value == null) {
                expected.remove(name);
            } else {
                expected.put(name, value);
            }
        });
        expected.put(IngressSwap.ORIGINAL_SPEC_ANNOTATION, saved.spec());
        if (!controller.forPage().isEmpty()) {
            expected.put(IngressSwap.ORIGINAL_ANNOTATIONS_ANNOTATION, saved.annotations());
        }
        assertThat(swapped.getMetadata().getAnnotations()).isEqualTo(expected);
        assertThat(saved.spec()).isEqualTo(client.getKubernetesSerialization().asJson(original.getSpec()));
        assertThat(saved.annotations() == null ? Map.of() : read(saved.annotations()))
                .isEqualTo(originalsOfChanged(controller));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controllers")
    void swapThenRestoreLeavesTheIngressAsItWas(IngressControllers controller) {
        Ingress original = create(controller);
        IngressSwap swap = new IngressSwap(client);

        IngressSwap.Saved saved = swap.swapTo(NAMESPACE, original.getMetadata().getName(), PAGE, PAGE_PORT);
        assertThat(swap.swapTo(NAMESPACE, original.getMetadata().getName(), PAGE, PAGE_PORT))
                .as("a retried swap saves the originals, not its own work").isEqualTo(saved);
        assertThat(swap.restore(NAMESPACE, original.getMetadata().getName(), saved)).isTrue();

        assertThat(comparable(get(original))).isEqualTo(comparable(original));
        assertThat(swap.isSwapped(NAMESPACE, original.getMetadata().getName())).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controllers")
    void theStatusCopyRestoresTheIngressWhenItsOwnCopiesAreGone(IngressControllers controller) {
        Ingress original = create(controller);
        IngressSwap swap = new IngressSwap(client);
        IngressSwap.Saved saved = swap.swapTo(NAMESPACE, original.getMetadata().getName(), PAGE, PAGE_PORT);
        // Someone (a GitOps tool, a hand edit) stripped Slipway's annotations while traffic was on the page.
        client.network().v1().ingresses().inNamespace(NAMESPACE).withName(original.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON), stripSlipwayAnnotations(get(original)));

        assertThat(swap.restore(NAMESPACE, original.getMetadata().getName(), saved)).isTrue();

        assertThat(comparable(get(original))).isEqualTo(comparable(original));
    }

    private Ingress create(IngressControllers controller) {
        String name = "shop-" + NAMES.incrementAndGet();
        IngressBuilder ingress = new IngressBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .addToLabels("app", "shop").endMetadata();
        if (!controller.annotations().isEmpty()) {
            ingress.editMetadata().withAnnotations(controller.annotations()).endMetadata();
        }
        return client.resource(ingress.withNewSpec().withIngressClassName("any")
                .addNewTl().withHosts("shop.example.com").withSecretName("shop-tls").endTl()
                .withNewDefaultBackend().withNewService().withName("web").withNewPort().withNumber(443).endPort()
                .endService().endDefaultBackend()
                .addNewRule().withHost("shop.example.com").withNewHttp()
                .addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService().withName("web")
                .withNewPort().withName("https").endPort().endService().endBackend().endPath()
                .addNewPath().withPath("/api").withPathType("Prefix").withNewBackend().withNewService().withName("api")
                .withNewPort().withNumber(8443).endPort().endService().endBackend().endPath()
                .endHttp().endRule().endSpec().build()).create();
    }

    private Ingress get(Ingress ingress) {
        return client.network().v1().ingresses().inNamespace(NAMESPACE).withName(ingress.getMetadata().getName()).get();
    }

    private String comparable(Ingress ingress) {
        return IngressJson.comparable(client.getKubernetesSerialization(), ingress);
    }

    private static String stripSlipwayAnnotations(Ingress ingress) {
        StringBuilder ops = new StringBuilder("[");
        for (String name : ingress.getMetadata().getAnnotations().keySet()) {
            if (name.startsWith("slipway.dev/")) {
                ops.append(ops.length() > 1 ? "," : "").append("{\"op\":\"remove\",\"path\":\"/metadata/annotations/")
                        .append(name.replace("/", "~1")).append("\"}");
            }
        }
        return ops.append("]").toString();
    }

    private static Map<String, String> originalsOfChanged(IngressControllers controller) {
        Map<String, String> originals = new HashMap<>();
        controller.forPage().keySet().forEach(name -> originals.put(name, controller.annotations().get(name)));
        return originals;
    }

    private static Map<String, String> read(String json) {
        try {
            JsonNode tree = JSON.readTree(json);
            Map<String, String> values = new HashMap<>();
            tree.fields().forEachRemaining(field -> values.put(field.getKey(),
                    field.getValue().isNull() ? null : field.getValue().asText()));
            return values;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
