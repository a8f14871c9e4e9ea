package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The vendor Release API. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReleaseSourceSpec {

    @JsonPropertyDescription("Base URL of the Release API (http, https) or a file: URL of a catalog document or directory for air-gapped installs.")
    @Required
    @Pattern("^(https?|file):.+")
    private String url;

    @JsonPropertyDescription("Release channel to follow.")
    @Default("stable")
    private String channel;

    @JsonPropertyDescription("How often to poll the feed, in Kubernetes duration notation (at least 5s).")
    @Default("15m")
    @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
    private String pollInterval;

    @JsonPropertyDescription("Secret key holding a PEM CA bundle that signs the Release API's TLS certificate.")
    private SecretKeyRef caSecretRef;

    @JsonPropertyDescription("Secret whose keys and values are sent as HTTP headers (for example Authorization).")
    private SecretRef headersSecretRef;

    @JsonPropertyDescription("Base64 Ed25519 public key; when set, the feed must carry a valid detached signature.")
    private String publicKey;

    @JsonPropertyDescription("When true, every image in the feed must be pinned by digest.")
    private Boolean requireDigests;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getChannel() {
        return channel;
    }

    public void setChannel(String channel) {
        this.channel = channel;
    }

    public String getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(String pollInterval) {
        this.pollInterval = pollInterval;
    }

    public SecretKeyRef getCaSecretRef() {
        return caSecretRef;
    }

    public void setCaSecretRef(SecretKeyRef caSecretRef) {
        this.caSecretRef = caSecretRef;
    }

    public SecretRef getHeadersSecretRef() {
        return headersSecretRef;
    }

    public void setHeadersSecretRef(SecretRef headersSecretRef) {
        this.headersSecretRef = headersSecretRef;
    }

    public String getPublicKey() {
        return publicKey;
    }

    public void setPublicKey(String publicKey) {
        this.publicKey = publicKey;
    }

    public Boolean getRequireDigests() {
        return requireDigests;
    }

    public void setRequireDigests(Boolean requireDigests) {
        this.requireDigests = requireDigests;
    }
}
