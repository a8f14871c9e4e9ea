package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** Maintenance windows, in the admin's time zone. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceSpec {

    @JsonPropertyDescription("IANA time zone id, for example Europe/Berlin.")
    @Required
    private String timeZone;

    @JsonPropertyDescription("Windows in which upgrades may start; the union of all entries.")
    @Required
    private List<WindowSpec> windows;

    @JsonPropertyDescription("Periods in which upgrades may not start.")
    private List<ExclusionSpec> exclusions;

    @JsonPropertyDescription("Start only if at least this much of the window remains.")
    @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
    private String minimumRemaining;

    @JsonPropertyDescription("What to do when the window closes during an upgrade.")
    @Default("Continue")
    private WindowEndAction onWindowEnd;

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public List<WindowSpec> getWindows() {
        return windows;
    }

    public void setWindows(List<WindowSpec> windows) {
        this.windows = windows;
    }

    public List<ExclusionSpec> getExclusions() {
        return exclusions;
    }

    public void setExclusions(List<ExclusionSpec> exclusions) {
        this.exclusions = exclusions;
    }

    public String getMinimumRemaining() {
        return minimumRemaining;
    }

    public void setMinimumRemaining(String minimumRemaining) {
        this.minimumRemaining = minimumRemaining;
    }

    public WindowEndAction getOnWindowEnd() {
        return onWindowEnd;
    }

    public void setOnWindowEnd(WindowEndAction onWindowEnd) {
        this.onWindowEnd = onWindowEnd;
    }
}
