package dev.slipway.core.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.time.Instant;

/** Tests write schedules the way admins do: as YAML maintenance objects. */
final class Schedules {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Schedules() {
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException notYaml) {
            throw new UncheckedIOException(notYaml);
        }
    }

    static ParsedMaintenance parse(String maintenanceYaml) {
        return MaintenanceSpecParser.parse(yaml(maintenanceYaml), "maintenance");
    }

    static WindowEngine engine(String maintenanceYaml) {
        return new WindowEngine(parse(maintenanceYaml).schedule());
    }

    static Instant utc(String text) {
        return Instant.parse(text);
    }
}
