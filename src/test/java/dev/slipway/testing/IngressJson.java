package dev.slipway.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An Ingress as JSON, for asserting that what Slipway restored is byte for byte what it found. */
public final class IngressJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IngressJson() {
    }

    /**
     * The Ingress as the API server returns it, without the two fields the server changes on every write, and with
     * its annotations in key order, as a real API server (which keeps them in a map) always returns them; the CRUD
     * server keeps insertion order, so an annotation removed for the page and put back would otherwise move.
     */
    public static String comparable(KubernetesSerialization serialization, Ingress ingress) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(serialization.asJson(ingress));
            ObjectNode metadata = (ObjectNode) tree.get("metadata");
            metadata.remove(List.of("resourceVersion", "generation"));
            if (metadata.has("annotations")) {
                metadata.set("annotations", JSON.valueToTree(new TreeMap<>(
                        JSON.convertValue(metadata.get("annotations"), Map.class))));
            }
            return tree.toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
