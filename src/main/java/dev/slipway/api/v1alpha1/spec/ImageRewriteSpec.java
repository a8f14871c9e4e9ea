package dev.slipway.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A registry mirror that admission moves images to, so running images are still recognised as release images. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageRewriteSpec {

    @JsonPropertyDescription("The prefix the feed's images start with, e.g. \"registry.example.com/\"; empty when the "
            + "mirror prefixes the whole reference.")
    private String from;

    @JsonPropertyDescription("The prefix the running images start with instead, e.g. \"mirror.local/\".")
    @Required
    private String to;

    public ImageRewriteSpec() {
    }

    public ImageRewriteSpec(String from, String to) {
        this.from = from;
        this.to = to;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }
}
