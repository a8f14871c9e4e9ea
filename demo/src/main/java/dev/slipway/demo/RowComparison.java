package dev.slipway.demo;

import java.util.List;

/**
 * A table's rows at two moments, each row as its columns' text, in key order: whether they are the same row by row,
 * and in words.
 */
public record RowComparison(List<String> before, List<String> after) {

    public RowComparison {
        before = List.copyOf(before);
        after = List.copyOf(after);
    }

    public boolean identical() {
        return before.equals(after);
    }

    /**
     * "3 orders, identical to before the upgrade (compared row by row)", or how they differ: the counts and the first
     * row that does.
     */
    public String describe(String rows, String moment) {
        if (identical()) {
            return after.size() + " " + rows + ", identical to " + moment + " (compared row by row)";
        }
        int row = 0;
        while (row < before.size() && row < after.size() && before.get(row).equals(after.get(row))) {
            row++;
        }
        return "DIFFERENT from " + moment + ": " + after.size() + " " + rows + " now, " + before.size() + " then; "
                + "row " + (row + 1) + " was " + rowAt(before, row) + ", is " + rowAt(after, row);
    }

    private static String rowAt(List<String> rows, int index) {
        return index < rows.size() ? "(" + rows.get(index) + ")" : "absent";
    }
}
