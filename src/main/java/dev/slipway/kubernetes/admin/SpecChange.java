package dev.slipway.kubernetes.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an action changes in a ManagedUpgrade's spec, field by field (old → new), and the JSON merge patch that makes
 * the change: the same edit a GitOps user would commit, plus who asked ({@value #REQUESTED_BY}) and the
 * resourceVersion that was read, so the API server refuses (409) a change decided on a resource that moved on.
 */
public record SpecChange(List<Field> fields) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The annotation naming the user who asked for the last change made with the CLI or the console. */
    public static final String REQUESTED_BY = "slipway.dev/requested-by";

    /**
     * One field, by its path from the resource's root ({@code spec.policy.approvedVersion}).
     *
     * @param after null removes the field
     */
    public record Field(String path, Object before, Object after) {

        public boolean changes() {
            return !Objects.equals(before, after);
        }

        @Override
        public String toString() {
            return path + ": " + shown(before) + " → " + shown(after);
        }

        private static String shown(Object value) {
            return value == null ? "(unset)" : value.toString();
        }
    }

    public static SpecChange of(Field... fields) {
        return new SpecChange(List.of(fields));
    }

    public boolean changesNothing() {
        return fields.stream().noneMatch(Field::changes);
    }

    /** {@code spec.policy.paused is already true}, for a change that changes nothing. */
    public String describeUnchanged() {
        return fields.stream().map(field -> field.path() + " is already " + Field.shown(field.after()))
                .collect(Collectors.joining(", "));
    }

    /** {@code spec.policy.approvedVersion: (unset) → 2.0.0, spec.policy.version: …}, the fields that change. */
    public String describe() {
        return fields.stream().filter(Field::changes).map(Field::toString).collect(Collectors.joining(", "));
    }

    /**
     * The merge patch: the changed fields (a removed one as null), the resourceVersion read, and
     * {@value #REQUESTED_BY} set to the requester, or removed when unknown so that it never names someone else.
     */
    public String mergePatch(String resourceVersion, Optional<String> requester) {
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode metadata = patch.putObject("metadata");
        metadata.put("resourceVersion", resourceVersion);
        ObjectNode annotations = metadata.putObject("annotations");
        requester.ifPresentOrElse(user -> annotations.put(REQUESTED_BY, user), () -> annotations.putNull(REQUESTED_BY));
        for (Field field : fields) {
            if (!field.changes()) {
                continue;
            }
            String[] path = field.path().split("\\.");
            ObjectNode parent = patch;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.has(path[i]) ? (ObjectNode) parent.get(path[i]) : parent.putObject(path[i]);
            }
            String name = path[path.length - 1];
            if (field.after() == null) {
                parent.putNull(name);
            } else if (field.after() instanceof Boolean flag) {
                parent.put(name, flag);
            } else {
                parent.put(name, field.after().toString());
            }
        }
        return patch.toString();
    }
}
