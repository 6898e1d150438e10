package io.publicdata.nifi.classify;

import java.util.Objects;

/**
 * One rung of a {@link GradeLadder}: a data security grade (数据分级) such as {@code L3} 一般·敏感.
 * Grades of one ladder compare by rank; a higher rank is more sensitive.
 */
public record Grade(int rank, String code, String name) implements Comparable<Grade> {

    public Grade {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
    }

    /** The more sensitive of the two grades: 就高从严, the higher grade wins. */
    public static Grade max(final Grade a, final Grade b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.rank >= b.rank ? a : b;
    }

    public boolean isAbove(final Grade other) {
        return rank > other.rank;
    }

    @Override
    public int compareTo(final Grade other) {
        return Integer.compare(rank, other.rank);
    }

    @Override
    public String toString() {
        return code;
    }
}
