package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * An explicit restore of the latest verified backup after traffic returned to the application. Echoing the backup's
 * writesSince is the administrator's acknowledgement that writes made since then will be out of the database.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreAction {

    @JsonPropertyDescription("The backup to restore: status.history[].backup.database of the latest verified backup.")
    private String backup;

    @JsonPropertyDescription("The backup's writesSince exactly as status shows it: the writes made since then are "
            + "replaced (kept only in the database the backup replaces).")
    private String writesSince;

    public RestoreAction() {
    }

    public RestoreAction(String backup, String writesSince) {
        this.backup = backup;
        this.writesSince = writesSince;
    }

    public String getBackup() {
        return backup;
    }

    public void setBackup(String backup) {
        this.backup = backup;
    }

    public String getWritesSince() {
        return writesSince;
    }

    public void setWritesSince(String writesSince) {
        this.writesSince = writesSince;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof RestoreAction other && Objects.equals(backup, other.backup)
                && Objects.equals(writesSince, other.writesSince);
    }

    @Override
    public int hashCode() {
        return Objects.hash(backup, writesSince);
    }
}
