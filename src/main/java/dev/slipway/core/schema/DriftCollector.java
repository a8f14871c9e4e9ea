package dev.slipway.core.schema;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Collects findings by the phase their statements must run in, so that the whole list, read top to bottom, is an
 * order in which the suggested statements can be applied (types before the tables that use them, tables before
 * their constraints, referenced keys before foreign keys, functions before triggers, tables before views).
 */
final class DriftCollector {

    enum Phase { EXTENSIONS, TYPES, SEQUENCES, TABLES, FUNCTIONS, CONSTRAINTS, INDEXES, FOREIGN_KEYS, TRIGGERS, VIEWS }

    private final Map<Phase, List<DriftFinding>> findings = new EnumMap<>(Phase.class);

    void add(Phase phase, DriftCategory category, String object, Severity severity, String problem, String... statements) {
        findings.computeIfAbsent(phase, ignored -> new ArrayList<>())
                .add(new DriftFinding(category, object, severity, problem, List.of(statements)));
    }

    List<DriftFinding> inApplyOrder() {
        return findings.values().stream().flatMap(List::stream).toList();
    }

    /** Pairs up two name-sorted lists: what only {@code expected} has, what only {@code actual} has, and both. */
    static <T> void match(List<T> expected, List<T> actual, Function<T, String> name, Consumer<T> missing,
            Consumer<T> extra, BiConsumer<T, T> both) {
        Map<String, T> actualByName = new java.util.LinkedHashMap<>();
        actual.forEach(item -> actualByName.put(name.apply(item), item));
        for (T wanted : expected) {
            T found = actualByName.remove(name.apply(wanted));
            if (found == null) {
                missing.accept(wanted);
            } else {
                both.accept(wanted, found);
            }
        }
        actualByName.values().forEach(extra);
    }
}
