package dev.slipway.core.schema;

import static dev.slipway.core.schema.Severity.FIXABLE;
import static dev.slipway.core.schema.Severity.WARNING;

import dev.slipway.core.schema.DriftCollector.Phase;
import dev.slipway.core.schema.SchemaSnapshot.EnumType;
import java.util.ArrayList;
import java.util.List;

/** Label differences of an enum present on both sides. Labels can be added in place, never removed or moved. */
final class EnumDrift {

    private EnumDrift() {
    }

    static void compare(DriftCollector drift, EnumType wanted, EnumType found) {
        List<String> missing = wanted.labels().stream().filter(label -> !found.labels().contains(label)).toList();
        List<String> extra = found.labels().stream().filter(label -> !wanted.labels().contains(label)).toList();
        if (!missing.isEmpty()) {
            drift.add(Phase.TYPES, DriftCategory.ENUM_MISSING_LABELS, wanted.name(), FIXABLE,
                    "enum lacks labels " + quoted(missing), addValues(wanted, found).toArray(String[]::new));
        }
        if (!extra.isEmpty()) {
            drift.add(Phase.TYPES, DriftCategory.ENUM_EXTRA_LABELS, wanted.name(), WARNING,
                    "enum has labels the expected schema does not: " + quoted(extra));
        }
        List<String> sharedExpectedOrder = wanted.labels().stream().filter(found.labels()::contains).toList();
        List<String> sharedFoundOrder = found.labels().stream().filter(wanted.labels()::contains).toList();
        if (!sharedExpectedOrder.equals(sharedFoundOrder)) {
            drift.add(Phase.TYPES, DriftCategory.ENUM_LABEL_ORDER, wanted.name(), WARNING,
                    "enum labels are ordered " + quoted(sharedFoundOrder) + ", expected " + quoted(sharedExpectedOrder)
                            + " (comparisons and ORDER BY follow this order)");
        }
    }

    /** Each missing label goes right after its predecessor in the expected order (added just before, if need be). */
    private static List<String> addValues(EnumType wanted, EnumType found) {
        List<String> statements = new ArrayList<>();
        List<String> labels = wanted.labels();
        for (int position = 0; position < labels.size(); position++) {
            String label = labels.get(position);
            if (found.labels().contains(label)) {
                continue;
            }
            String placement = position > 0 ? " AFTER " + SqlText.literal(labels.get(position - 1))
                    : firstPresent(labels, found).map(next -> " BEFORE " + SqlText.literal(next)).orElse("");
            statements.add("ALTER TYPE " + wanted.name() + " ADD VALUE " + SqlText.literal(label) + placement);
        }
        return statements;
    }

    private static java.util.Optional<String> firstPresent(List<String> labels, EnumType found) {
        return labels.stream().filter(found.labels()::contains).findFirst();
    }

    private static String quoted(List<String> labels) {
        return String.join(", ", labels.stream().map(SqlText::literal).toList());
    }
}
