package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.core.window.EffectiveWindow;
import dev.slipway.core.window.WindowEvaluation;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The JSON shape of issue 3's CLI: one object for one {@code --at}, an array for several. Instants in UTC. */
final class WindowsJson {

    /** Always with seconds, unlike {@code LocalDateTime.toString()}. */
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private WindowsJson() {
    }

    static JsonNode of(List<WindowEvaluation> evaluations, ObjectMapper mapper) {
        if (evaluations.size() == 1) {
            return evaluation(evaluations.get(0), mapper);
        }
        ArrayNode array = mapper.createArrayNode();
        evaluations.forEach(evaluation -> array.add(evaluation(evaluation, mapper)));
        return array;
    }

    private static ObjectNode evaluation(WindowEvaluation evaluation, ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.put("at", instant(evaluation.at()));
        node.put("inWindow", evaluation.inWindow());
        node.put("canStart", evaluation.canStart());
        node.put("reason", evaluation.reason().name());
        EffectiveWindow current = evaluation.currentWindow();
        node.set("currentWindow", current == null ? null : mapper.createObjectNode()
                .put("start", instant(current.start())).put("end", instant(current.end())));
        EffectiveWindow next = evaluation.nextWindow();
        node.set("nextWindow", next == null ? null : mapper.createObjectNode()
                .put("start", instant(next.start())).put("end", instant(next.end()))
                .put("startLocal", local(next.startLocal())).put("endLocal", local(next.endLocal())));
        node.put("nextEligibleStart", instant(evaluation.nextEligibleStart()));
        node.put("latestStart", instant(evaluation.latestStart()));
        return node;
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String local(LocalDateTime local) {
        return LOCAL.format(local);
    }
}
