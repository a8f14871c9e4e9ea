package dev.slipway.testing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The name and label checks of kube-apiserver, worded as staging/src/k8s.io/apimachinery/pkg/util/validation/
 * validation.go words them: object names are DNS-1123 subdomains (ValidateObjectMeta with NameIsDNSSubdomain), except
 * Services (DNS-1035 labels: pkg/apis/core/validation ValidateServiceName) and Namespaces (DNS-1123 labels); label
 * keys are qualified names and label values at most 63 characters (IsQualifiedName, IsValidLabelValue), on the object,
 * on Pod templates and in selectors' matchLabels.
 */
final class ObjectValidation {

    /** One refused field, as a StatusCause of an Invalid status. */
    record FieldError(String field, String value, String detail) {
        String message() {
            return "Invalid value: \"" + value + "\": " + detail;
        }

        @Override
        public String toString() {
            return field + ": " + message();
        }
    }

    private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*");
    private static final Pattern DNS1123_LABEL_PATTERN = Pattern.compile(DNS1123_LABEL);
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private static final String SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private static final String LABEL_MESSAGE = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
            + "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private static final String DNS1035_MESSAGE = "a DNS-1035 label must consist of lower case alphanumeric characters "
            + "or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
            + "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    private static final String LABEL_VALUE_MESSAGE = "a valid label must be an empty string or consist of "
            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    private static final String NAME_PART_MESSAGE = "name part must consist of alphanumeric characters, '-', '_' or "
            + "'.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
            + "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private ObjectValidation() {
    }

    static List<FieldError> validate(String kind, JsonNode object) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode metadata = object.path("metadata");
        String name = metadata.path("name").asText("");
        if (!name.isEmpty() || metadata.path("generateName").asText("").isEmpty()) {
            validateName(kind, name, errors);
        }
        validateLabels("metadata.labels", metadata.path("labels"), errors);
        validateLabels("spec.template.metadata.labels", object.path("spec").path("template").path("metadata")
                .path("labels"), errors);
        validateLabels("spec.selector.matchLabels", object.path("spec").path("selector").path("matchLabels"), errors);
        return errors;
    }

    private static void validateName(String kind, String name, List<FieldError> errors) {
        switch (kind) {
            case "Service" -> check("metadata.name", name, DNS1035_LABEL, 63, DNS1035_MESSAGE, errors);
            case "Namespace" -> check("metadata.name", name, DNS1123_LABEL_PATTERN, 63, LABEL_MESSAGE, errors);
            default -> check("metadata.name", name, DNS1123_SUBDOMAIN, 253, SUBDOMAIN_MESSAGE, errors);
        }
    }

    private static void validateLabels(String field, JsonNode labels, List<FieldError> errors) {
        if (!labels.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> label : labels.properties()) {
            validateLabelKey(field, label.getKey(), errors);
            String value = label.getValue().asText("");
            if (value.length() > 63) {
                errors.add(new FieldError(field, value, "must be no more than 63 characters"));
            }
            if (!LABEL_VALUE.matcher(value).matches()) {
                errors.add(new FieldError(field, value, LABEL_VALUE_MESSAGE));
            }
        }
    }

    private static void validateLabelKey(String field, String key, List<FieldError> errors) {
        String namePart = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            namePart = key.substring(slash + 1);
            check(field, key, prefix, DNS1123_SUBDOMAIN, 253, "prefix part " + SUBDOMAIN_MESSAGE, errors);
        }
        check(field, key, namePart, QUALIFIED_NAME_PART, 63, NAME_PART_MESSAGE, errors);
    }

    private static void check(String field, String value, Pattern pattern, int maxLength, String message,
            List<FieldError> errors) {
        check(field, value, value, pattern, maxLength, message, errors);
    }

    private static void check(String field, String value, String part, Pattern pattern, int maxLength, String message,
            List<FieldError> errors) {
        if (part.length() > maxLength) {
            String what = message.startsWith("name part") ? "name part " : message.startsWith("prefix part") ? "prefix part " : "";
            errors.add(new FieldError(field, value, what + "must be no more than " + maxLength + " characters"));
        }
        if (!pattern.matcher(part).matches()) {
            errors.add(new FieldError(field, value, message));
        }
    }
}
