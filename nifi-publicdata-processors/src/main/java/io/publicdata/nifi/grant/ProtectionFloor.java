package io.publicdata.nifi.grant;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.classify.GradeLadder;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The protection floor (不予开放; raw public data does not go straight to market, guidance 5(12)): what no grant can
 * lower. By default the top grade of the ladder (L5 核心) never leaves, whatever a grant says, and the grade below it
 * (L4 重要) leaves only encrypted, pseudonymised, format-preserving encrypted or dropped. A deployment may raise the
 * floor (more grades, fewer methods), never lower it; a grant may add requirements on top of it, never take one away:
 * the methods accepted for a grade are those both the floor and the grant accept.
 *
 * <p>A requirement holds for its grade and every grade above it, until a higher grade has its own, as in a grant; a
 * grade that never leaves makes every grade above it never leave too. Immutable and thread-safe.
 */
public final class ProtectionFloor {

    /** The word that marks a grade that never leaves in the text form, e.g. {@code L5=DENY}. */
    public static final String NEVER = "DENY";

    /** What the grade below the top may leave as by default: never in clear, never merely masked or generalised. */
    public static final Set<ProtectionMethod> PROTECTED_ONLY = Collections.unmodifiableSet(
            EnumSet.of(ProtectionMethod.ENCRYPT, ProtectionMethod.PSEUDONYMIZE, ProtectionMethod.FPE, ProtectionMethod.DROP));

    private final GradeLadder ladder;
    /** By grade rank: the methods accepted, or null when the floor asks nothing of that grade. */
    private final Set<ProtectionMethod>[] acceptedByRank;
    /** By grade rank: whether values of that grade never leave. */
    private final boolean[] never;

    @SuppressWarnings("unchecked")
    private ProtectionFloor(final GradeLadder ladder, final Set<ProtectionMethod>[] accepted, final boolean[] never) {
        this.ladder = ladder;
        this.acceptedByRank = new Set[accepted.length];
        this.never = never.clone();
        for (int rank = 0; rank < accepted.length; rank++) {
            final Set<ProtectionMethod> own = accepted[rank] != null ? accepted[rank] : rank > 0 ? this.acceptedByRank[rank - 1] : null;
            this.acceptedByRank[rank] = own == null ? null : Collections.unmodifiableSet(EnumSet.copyOf(own));
            if (rank > 0 && this.never[rank - 1]) {
                this.never[rank] = true;
            }
        }
    }

    /**
     * The floor every deployment has: the top grade never leaves; on a ladder of three grades or more, the grade below
     * it leaves only as {@link #PROTECTED_ONLY}. On the default ladder: {@code L4=ENCRYPT|PSEUDONYMIZE|FPE|DROP, L5=DENY}.
     */
    @SuppressWarnings("unchecked")
    public static ProtectionFloor builtIn(final GradeLadder ladder) {
        final int grades = ladder.grades().size();
        final Set<ProtectionMethod>[] accepted = new Set[grades];
        final boolean[] never = new boolean[grades];
        never[grades - 1] = true;
        if (grades >= 3) {
            accepted[grades - 2] = PROTECTED_ONLY;
        }
        return new ProtectionFloor(ladder, accepted, never);
    }

    /**
     * Reads a deployment's floor: comma-separated {@code GRADE=METHOD|METHOD} or {@code GRADE=DENY} pairs, e.g.
     * {@code L3=ENCRYPT|PSEUDONYMIZE|FPE|DROP, L4=ENCRYPT, L5=DENY}. Blank: the built-in floor.
     *
     * @throws IllegalArgumentException when the text is malformed, names a grade the ladder lacks, or would lower the
     *                                  built-in floor (accept a method it does not, or let its never-leaving grade leave)
     */
    @SuppressWarnings("unchecked")
    public static ProtectionFloor parse(final String text, final GradeLadder ladder) {
        final ProtectionFloor builtIn = builtIn(ladder);
        if (text == null || text.isBlank()) {
            return builtIn;
        }
        final int grades = ladder.grades().size();
        final Set<ProtectionMethod>[] accepted = new Set[grades];
        final boolean[] never = new boolean[grades];
        ProtectionRequirements.pairs(text, "GRADE=METHOD|METHOD or GRADE=" + NEVER + ", e.g. L4=ENCRYPT|DROP").forEach((code, methods) -> {
            final Grade grade = ladder.find(code).orElseThrow(() -> new IllegalArgumentException(
                    "The protection floor names grade '" + code + "', which is not on the grade ladder " + ladder.codes()));
            if (methods.equalsIgnoreCase(NEVER)) {
                never[grade.rank()] = true;
            } else {
                accepted[grade.rank()] = ProtectionRequirements.methods(methods);
            }
        });
        final ProtectionFloor configured = new ProtectionFloor(ladder, accepted, never);
        configured.requireAtLeast(builtIn);
        return configured;
    }

    /** Refuses a floor that lowers another one anywhere. */
    private void requireAtLeast(final ProtectionFloor other) {
        for (final Grade grade : ladder.grades()) {
            if (other.neverLeaves(grade) && !neverLeaves(grade)) {
                throw new IllegalArgumentException("The protection floor can only be raised: grade " + grade.code() + " never leaves ("
                        + grade.code() + "=" + NEVER + ")");
            }
            final Set<ProtectionMethod> mine = acceptedByRank[grade.rank()];
            final Set<ProtectionMethod> theirs = other.acceptedByRank[grade.rank()];
            if (!neverLeaves(grade) && theirs != null && (mine == null || !theirs.containsAll(mine))) {
                throw new IllegalArgumentException("The protection floor can only be raised: grade " + grade.code() + " accepts at most "
                        + names(theirs) + (mine == null ? ", and may not be left without a requirement" : ", not " + names(mine)));
            }
        }
    }

    public GradeLadder ladder() {
        return ladder;
    }

    /** Whether values of this grade never leave, whatever a grant says. */
    public boolean neverLeaves(final Grade grade) {
        return never[grade.rank()];
    }

    /** The methods the floor accepts for values of this grade; empty when it asks nothing of it (or it never leaves). */
    public Set<ProtectionMethod> accepted(final Grade grade) {
        final Set<ProtectionMethod> methods = acceptedByRank[grade.rank()];
        return methods == null || never[grade.rank()] ? Set.of() : methods;
    }

    /** The floor in its text form, e.g. {@code L4=ENCRYPT|PSEUDONYMIZE|FPE|DROP, L5=DENY}: each grade that has its own. */
    public String describe() {
        final StringJoiner text = new StringJoiner(", ");
        for (final Grade grade : ladder.grades()) {
            final int rank = grade.rank();
            if (never[rank] && (rank == 0 || !never[rank - 1])) {
                text.add(grade.code() + "=" + NEVER);
            } else if (!never[rank] && acceptedByRank[rank] != null && (rank == 0 || !acceptedByRank[rank].equals(acceptedByRank[rank - 1]))) {
                text.add(grade.code() + "=" + names(acceptedByRank[rank]));
            }
        }
        return text.toString();
    }

    private static String names(final Set<ProtectionMethod> methods) {
        final StringJoiner text = new StringJoiner("|");
        methods.forEach(method -> text.add(method.name()));
        return text.toString();
    }

    @Override
    public String toString() {
        return "ProtectionFloor[" + describe() + "]";
    }
}
