package dev.slipway.api.page;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the maintenance page may show, and nothing more: the operator writes it as JSON under {@link #CONFIG_MAP_KEY}
 * of the page's ConfigMap, and every field is public. Callers put only sanitized, plain-language text in it.
 *
 * @param etaSeconds estimated seconds remaining as of {@code updatedAt}, only when past upgrades tell; otherwise null
 * @param message    optional plain-language note for visitors (never errors, hosts or SQL)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PageStatus(String product, String fromVersion, String toVersion, Phase phase, Instant startedAt,
        Instant updatedAt, List<Step> steps, Long etaSeconds, String message) {

    /** The ConfigMap data key holding {@link #toJson()}. */
    public static final String CONFIG_MAP_KEY = "status.json";

    /**
     * The response header by which the page server says whose page it is ({@link #marker}), so that the operator can
     * tell, through the public URL, that visitors reach this resource's page and not the application or another page.
     */
    public static final String MARKER_HEADER = "X-Slipway-Page";

    /** The {@link #MARKER_HEADER} value of the page that reads {@code namespace/configMapName}. */
    public static String marker(String namespace, String configMapName) {
        return namespace + "/" + configMapName;
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);

    public PageStatus {
        steps = steps == null ? List.of() : steps.stream().filter(Objects::nonNull).toList();
    }

    public enum Phase {
        @JsonProperty("Waiting") WAITING,
        @JsonProperty("InProgress") IN_PROGRESS,
        @JsonProperty("Failed") FAILED,
        @JsonProperty("Completed") COMPLETED,
        /** The upgrade was called off (rolled back or abandoned) and traffic is back on the application. */
        @JsonProperty("Restored") RESTORED
    }

    public enum StepState {
        @JsonProperty("Done") DONE,
        @JsonProperty("Running") RUNNING,
        @JsonProperty("Waiting") WAITING,
        @JsonProperty("Failed") FAILED
    }

    /** @param label human words, e.g. "Migrating database to 1.3.0 (hop 2 of 3)" */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(String name, String label, StepState state, Instant startedAt, Instant finishedAt) {
        public Step {
            state = state == null ? StepState.WAITING : state;
        }
    }

    /** The ConfigMap value for {@link #CONFIG_MAP_KEY}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads what {@link #toJson()} wrote, ignoring fields it does not know. Anything unusable (missing, not JSON,
     * no known phase) is empty, which the page shows as a generic "maintenance in progress".
     */
    public static Optional<PageStatus> fromJson(String json) {
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readValue(json, PageStatus.class)).filter(status -> status.phase() != null);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The mapper the page contract is written with, for JSON that must match it. */
    public static ObjectMapper json() {
        return JSON;
    }
}
