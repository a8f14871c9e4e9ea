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
}
