package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The application's database. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSpec {

    @JsonPropertyDescription("Secret with keys url (JDBC), username, password; used for migrations.")
    @Required
    private SecretRef adminSecretRef;

    @JsonPropertyDescription("Secret with the same keys for a read-only role, used for verification.")
    private SecretRef readOnlySecretRef;

    @JsonPropertyDescription("Schemas to verify and migrate (default public).")
    private List<String> schemas;

    @JsonPropertyDescription("Apply Fixable drift statements in preflight, recording each in history.")
    private Boolean autoFix;

    @JsonPropertyDescription("Database roles the application logs in as. Quiesce waits until no session of these roles "
            + "is left in pg_stat_activity before any migration; absent, sessions are not checked.")
    private List<String> applicationRoles;

    @JsonPropertyDescription("How long Quiesce waits for sessions of applicationRoles to end after the application's "
            + "Pods are gone, as a Kubernetes duration (default 2m).")
    private String sessionDrainTimeout;

    @JsonPropertyDescription("After sessionDrainTimeout, end the remaining sessions with pg_terminate_backend (default "
            + "true); false fails the upgrade before any migration and rolls it back instead.")
    private Boolean terminateSessions;

    @JsonPropertyDescription("A backup of the database before an upgrade's first migration (default: none).")
    private BackupSpec backup;

    public SecretRef getAdminSecretRef() {
        return adminSecretRef;
    }

    public void setAdminSecretRef(SecretRef adminSecretRef) {
        this.adminSecretRef = adminSecretRef;
    }

    public SecretRef getReadOnlySecretRef() {
        return readOnlySecretRef;
    }

    public void setReadOnlySecretRef(SecretRef readOnlySecretRef) {
        this.readOnlySecretRef = readOnlySecretRef;
    }

    public List<String> getSchemas() {
        return schemas;
    }

    public void setSchemas(List<String> schemas) {
        this.schemas = schemas;
    }

    public Boolean getAutoFix() {
        return autoFix;
    }

    public void setAutoFix(Boolean autoFix) {
        this.autoFix = autoFix;
    }

    public List<String> getApplicationRoles() {
        return applicationRoles;
    }

    public void setApplicationRoles(List<String> applicationRoles) {
        this.applicationRoles = applicationRoles;
    }

    public String getSessionDrainTimeout() {
        return sessionDrainTimeout;
    }

    public void setSessionDrainTimeout(String sessionDrainTimeout) {
        this.sessionDrainTimeout = sessionDrainTimeout;
    }

    public Boolean getTerminateSessions() {
        return terminateSessions;
    }

    public void setTerminateSessions(Boolean terminateSessions) {
        this.terminateSessions = terminateSessions;
    }

    public BackupSpec getBackup() {
        return backup;
    }

    public void setBackup(BackupSpec backup) {
        this.backup = backup;
    }
}
