package dev.slipway.core.window;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Set;

/** Which local dates a recurring window starts on. */
public sealed interface DateSelector {

    boolean matches(LocalDate date);

    /** {@code days: [Mon, Tue, ...]}. */
    record Weekdays(Set<DayOfWeek> days) implements DateSelector {
        public Weekdays {
            days = Set.copyOf(days);
        }

        @Override
        public boolean matches(LocalDate date) {
            return days.contains(date.getDayOfWeek());
        }
    }

    /**
     * {@code monthDays}: 1..31 count from the start of the month, -1..-31 from its end (-1 = last day). A day the
     * month lacks is skipped, not clamped: {@code 31} never fires in April, {@code -31} only in 31-day months.
     */
    record MonthDays(Set<Integer> days) implements DateSelector {
        public MonthDays {
            days = Set.copyOf(days);
        }

        @Override
        public boolean matches(LocalDate date) {
            int fromEnd = date.getDayOfMonth() - date.lengthOfMonth() - 1;
            return days.contains(date.getDayOfMonth()) || days.contains(fromEnd);
        }
    }
}
