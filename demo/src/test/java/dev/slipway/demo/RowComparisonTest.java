package dev.slipway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RowComparisonTest {

    private static final List<String> BEFORE = List.of("1|ada|1200", "2|bob|300", "3|O'Brien|0");

    @Test
    void theSameRowsInTheSameOrderAreIdentical() {
        RowComparison same = new RowComparison(BEFORE, List.copyOf(BEFORE));

        assertThat(same.identical()).isTrue();
        assertThat(same.describe("orders", "before the upgrade"))
                .isEqualTo("3 orders, identical to before the upgrade (compared row by row)");
    }

    @Test
    void aChangedRowIsNamedWithBothVersions() {
        RowComparison changed = new RowComparison(BEFORE, List.of("1|ada|1200", "2|bob|301", "3|O'Brien|0"));

        assertThat(changed.identical()).isFalse();
        assertThat(changed.describe("orders", "before the upgrade")).isEqualTo("DIFFERENT from before the upgrade: "
                + "3 orders now, 3 then; row 2 was (2|bob|300), is (2|bob|301)");
    }

    @Test
    void aMissingRowIsAbsent() {
        assertThat(new RowComparison(BEFORE, BEFORE.subList(0, 2)).describe("orders", "before the upgrade"))
                .isEqualTo("DIFFERENT from before the upgrade: 2 orders now, 3 then; row 3 was (3|O'Brien|0), is "
                        + "absent");
    }
}
