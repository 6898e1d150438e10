package io.publicdata.nifi.classify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordered grades (分级) a deployment uses, from least to most sensitive. The default follows
 * GB/T 43697-2024: three general grades, then important (重要) and core (核心) data.
 */
public final class GradeLadder {

    /** The default ladder, as a specification string accepted by {@link #parse(String)}. */
    public static final String DEFAULT_SPEC = "L1=一般·公开, L2=一般·内部, L3=一般·敏感, L4=重要, L5=核心";

    private static final GradeLadder DEFAULT = parse(DEFAULT_SPEC);

    private final List<Grade> grades;
    private final Map<String, Grade> byCode;

    private GradeLadder(final List<Grade> grades) {
        this.grades = Collections.unmodifiableList(grades);
        final Map<String, Grade> codes = new HashMap<>();
        for (final Grade grade : grades) {
            codes.put(grade.code(), grade);
        }
        this.byCode = Collections.unmodifiableMap(codes);
    }

    public static GradeLadder defaultLadder() {
        return DEFAULT;
    }

    /**
     * Parses a ladder written least sensitive first, as comma-separated {@code CODE=name} pairs
     * ({@code =name} is optional), e.g. {@code L1=public, L2=internal, L3=sensitive}.
     *
     * @throws IllegalArgumentException naming what is wrong when the specification is empty,
     *                                  has a blank or repeated code, or fewer than two grades
     */
    public static GradeLadder parse(final String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("Grade ladder is empty: list grades least sensitive first, e.g. " + DEFAULT_SPEC);
        }
        final List<Grade> grades = new ArrayList<>();
        final Map<String, Boolean> seen = new HashMap<>();
        for (final String part : spec.split(",")) {
            final String entry = part.strip();
            final int eq = entry.indexOf('=');
            final String code = (eq < 0 ? entry : entry.substring(0, eq)).strip();
            final String name = eq < 0 ? code : entry.substring(eq + 1).strip();
            if (code.isEmpty()) {
                throw new IllegalArgumentException("Grade ladder '" + spec + "' has an entry without a grade code");
            }
            if (!code.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("Grade code '" + code + "' may only hold letters, digits, '_', '.' and '-'");
            }
            if (seen.put(code, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("Grade code '" + code + "' appears twice in the grade ladder");
            }
            grades.add(new Grade(grades.size(), code, name.isEmpty() ? code : name));
        }
        if (grades.size() < 2) {
            throw new IllegalArgumentException("Grade ladder '" + spec + "' needs at least two grades");
        }
        return new GradeLadder(grades);
    }

    /** All grades, least sensitive first. */
    public List<Grade> grades() {
        return grades;
    }

    public Grade lowest() {
        return grades.getFirst();
    }

    public Grade highest() {
        return grades.getLast();
    }

    public Optional<Grade> find(final String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(byCode.get(code.strip()));
    }

    /**
     * The grade with this code.
     *
     * @throws IllegalArgumentException listing the known codes when the code is not on this ladder
     */
    public Grade grade(final String code) {
        return find(code).orElseThrow(() -> new IllegalArgumentException(
                "Unknown grade '" + code + "'; this ladder has " + codes()));
    }

    /** The grade at a rank, used to map a detector's default grade onto a shorter or longer ladder. */
    public Grade atRank(final int rank) {
        return grades.get(Math.max(0, Math.min(rank, grades.size() - 1)));
    }

    public List<String> codes() {
        return grades.stream().map(Grade::code).toList();
    }

    /** The specification string that {@link #parse(String)} turns back into this ladder. */
    public String toSpec() {
        return String.join(", ", grades.stream().map(g -> g.code() + "=" + g.name()).toList());
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
