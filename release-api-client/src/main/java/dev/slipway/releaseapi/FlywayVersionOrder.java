package dev.slipway.releaseapi;

import java.math.BigInteger;

/**
 * Orders Flyway versions ("12", "1.4.2", "1_4_2") as Flyway does: part by part, numerically, missing parts as zero.
 * The client depends on nothing of Flyway, so it carries this small comparison itself.
 */
final class FlywayVersionOrder {

    /** Returned by {@link #compare} when either version is not a dotted (or underscored) list of numbers. */
    static final int INCOMPARABLE = Integer.MIN_VALUE;

    private FlywayVersionOrder() {
    }

    /** Negative, zero or positive as {@code a} is before, equal to or after {@code b}; or {@link #INCOMPARABLE}. */
    static int compare(String a, String b) {
        String[] left = a.split("[._]", -1);
        String[] right = b.split("[._]", -1);
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            BigInteger x = i < left.length ? number(left[i]) : BigInteger.ZERO;
            BigInteger y = i < right.length ? number(right[i]) : BigInteger.ZERO;
            if (x == null || y == null) {
                return INCOMPARABLE;
            }
            int order = x.compareTo(y);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    private static BigInteger number(String part) {
        if (part.isEmpty() || part.length() > 30 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return new BigInteger(part);
    }
}
