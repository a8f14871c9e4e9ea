package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Administrator instructions; each is acted on once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ActionsSpec {

    @JsonPropertyDescription("Set to a new value to retry a failed upgrade from the step that failed.")
    private String retry;

    @JsonPropertyDescription("Set to a new value to abandon a failed upgrade: traffic is restored and the result recorded.")
    private String abandon;

    @JsonPropertyDescription("Set to a new value to start the pending upgrade now, outside the maintenance window (recorded as an override).")
    private String startNow;

    @JsonPropertyDescription("Set to restore the latest verified backup after traffic returned to the application: "
            + "the page goes up, the application stops, the backup takes the database's place and the images go "
            + "back to the backup's version. Acted on once per value.")
    private RestoreAction restore;

    public String getRetry() {
        return retry;
    }

    public void setRetry(String retry) {
        this.retry = retry;
    }

    public String getAbandon() {
        return abandon;
    }

    public void setAbandon(String abandon) {
        this.abandon = abandon;
    }

    public String getStartNow() {
        return startNow;
    }

    public void setStartNow(String startNow) {
        this.startNow = startNow;
    }

    public RestoreAction getRestore() {
        return restore;
    }

    public void setRestore(RestoreAction restore) {
        this.restore = restore;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ActionsSpec other)) {
            return false;
        }
        return Objects.equals(retry, other.retry)
            && Objects.equals(abandon, other.abandon)
            && Objects.equals(startNow, other.startNow)
            && Objects.equals(restore, other.restore);
    }

    @Override
    public int hashCode() {
        return Objects.hash(retry, abandon, startNow, restore);
    }
}
