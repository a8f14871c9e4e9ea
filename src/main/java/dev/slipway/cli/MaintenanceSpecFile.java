package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.slipway.core.window.MaintenanceSpecParser;
import dev.slipway.core.window.ParsedMaintenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the {@code maintenance} object from a file, which may be a ManagedUpgrade ({@code spec.maintenance}), a
 * document with a {@code maintenance:} key, or the maintenance object itself. Field paths in errors follow what the
 * file contains, so an admin can find the line.
 */
final class MaintenanceSpecFile {

    private MaintenanceSpecFile() {
    }

    /** @throws IOException when the file cannot be read or is not YAML/JSON */
    static ParsedMaintenance read(Path file) throws IOException {
        ObjectMapper mapper = file.toString().endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        JsonNode root = Files.exists(file) && Files.size(file) == 0 ? null : mapper.readTree(file.toFile());
        if (root != null && root.isObject() && root.has("spec")) {
            return MaintenanceSpecParser.parse(root.path("spec").path("maintenance"), "spec.maintenance");
        }
        if (root != null && root.isObject() && root.has("maintenance")) {
            return MaintenanceSpecParser.parse(root.get("maintenance"), "maintenance");
        }
        return MaintenanceSpecParser.parse(root, "");
    }
}
