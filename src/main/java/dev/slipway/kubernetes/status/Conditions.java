package dev.slipway.kubernetes.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds the status conditions in one place. A condition whose status did not change keeps its
 * {@code lastTransitionTime}, so an unchanged world produces an unchanged status and no patch.
 */
public final class Conditions {

    /** Condition types this operator writes. */
    public enum Type {
        ReleasesRetrieved, UpdateAvailable, InvalidSpec, VersionDiscovered, MaintenanceWindowOpen, DatabaseVerified,
        Progressing, Available, Failing,
        /** The ManagedUpgrade is being deleted and waits for what the message says before it lets go. */
        Deleting,
        /** The last spec.actions.restore: True when it was accepted, False with the reason it was refused. */
        RestoreRequested
    }

    private final List<Condition> previous;
    private final List<Condition> next = new ArrayList<>();
    private final Instant now;
    private final Long generation;

    public Conditions(List<Condition> previous, Instant now, Long generation) {
        this.previous = previous == null ? List.of() : previous;
        this.now = now;
        this.generation = generation;
    }

    public Conditions set(Type type, boolean status, String reason, String message) {
        String value = status ? "True" : "False";
        String transition = previous.stream()
                .filter(c -> c.getType().equals(type.name()) && value.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime).findFirst().orElse(now.toString());
        next.removeIf(c -> c.getType().equals(type.name()));
        next.add(new ConditionBuilder().withType(type.name()).withStatus(value).withReason(reason)
                .withMessage(message).withLastTransitionTime(transition).withObservedGeneration(generation).build());
        return this;
    }

    /** Keeps a condition from the previous status that this pass did not evaluate. */
    public Conditions keep(Type type) {
        if (next.stream().noneMatch(c -> c.getType().equals(type.name()))) {
            previous.stream().filter(c -> c.getType().equals(type.name())).findFirst().ifPresent(next::add);
        }
        return this;
    }

    /** The conditions set in this pass, plus every other condition of the previous status unchanged. */
    public List<Condition> buildKeepingOthers() {
        for (Type type : Type.values()) {
            keep(type);
        }
        return build();
    }

    public List<Condition> build() {
        next.sort(Comparator.comparing(c -> Type.valueOf(c.getType()).ordinal()));
        return List.copyOf(next);
    }
}
