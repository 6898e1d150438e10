package io.publicdata.nifi.grant;

import io.publicdata.nifi.classify.Grade;
import io.publicdata.nifi.classify.GradeLadder;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A grant read against a grade ladder: the scope decision (授权范围) for uses and records. Immutable and
 * thread-safe; decisions about grades are worked out once here, so checking a record allocates nothing.
 *
 * <p>The checks of a use run in a fixed order and the first failure is the reason: status (revoked, suspended),
 * term, grantee, domain, scenario, purpose, dataset. The term is the half-open interval
 * {@code [validFrom, validUntil)}: a use at exactly {@code validFrom} is in it, a use at exactly
 * {@code validUntil} is not, so consecutive grants meet without a gap or an overlap.
 *
 * <p>Under every grant lies the {@link ProtectionFloor}, which no grant can lower: the methods accepted for a grade are
 * those both the floor and the grant accept, and a grade the floor never lets leave (L5 核心 by default) is denied
 * whatever the grant says.
 */
public final class GrantScope {

    private final Grant grant;
    private final GradeLadder ladder;
    private final Grade maximumGrade;
    private final PermittedFields permittedFields;
    private final Set<String> domains;
    private final Set<String> scenarios;
    private final Set<String> purposes;
    private final Set<String> datasets;
    /** By grade rank: the decision for a record of that grade. */
    private final Decision[] gradeDecisions;
    private final Decision ungradedDecision;
    /** By grade rank: the protection methods accepted for fields of that grade; null when none is required. */
    private final Set<ProtectionMethod>[] protectionByRank;
    private final ProtectionFloor floor;
    /** By grade rank: what the grant alone accepts; null when it requires nothing. */
    private final Set<ProtectionMethod>[] grantProtectionByRank;

    /**
     * Under the built-in floor ({@link ProtectionFloor#builtIn}).
     *
     * @throws IllegalArgumentException when the grant names a grade the ladder lacks
     */
    public GrantScope(final Grant grant, final GradeLadder ladder) {
        this(grant, ladder, ProtectionFloor.builtIn(ladder));
    }

    /**
     * @param floor what no grant can lower, on the same ladder
     * @throws IllegalArgumentException when the grant names a grade the ladder lacks
     */
    @SuppressWarnings("unchecked")
    public GrantScope(final Grant grant, final GradeLadder ladder, final ProtectionFloor floor) {
        this.grant = Objects.requireNonNull(grant, "grant");
        this.ladder = Objects.requireNonNull(ladder, "ladder");
        this.maximumGrade = ladder.find(grant.maximumGrade()).orElseThrow(() -> new IllegalArgumentException(
                "The grant's maximum grade '" + grant.maximumGrade() + "' is not on the grade ladder " + ladder.codes()));
        this.permittedFields = PermittedFields.of(grant.permittedFields());
        this.domains = Set.copyOf(grant.domains());
        this.scenarios = Set.copyOf(grant.scenarios());
        this.purposes = Set.copyOf(grant.purposes());
        this.datasets = Set.copyOf(grant.datasets());

        final int grades = ladder.grades().size();
        this.protectionByRank = new Set[grades];
        for (final Map.Entry<String, Set<ProtectionMethod>> requirement : grant.requiredProtection().entrySet()) {
            final Grade grade = ladder.find(requirement.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "The grant requires protection for grade '" + requirement.getKey() + "', which is not on the grade ladder " + ladder.codes()));
            protectionByRank[grade.rank()] = Collections.unmodifiableSet(EnumSet.copyOf(requirement.getValue()));
        }
        // A requirement holds for its grade and the grades above it, until a higher grade has its own
        for (int rank = 1; rank < grades; rank++) {
            if (protectionByRank[rank] == null) {
                protectionByRank[rank] = protectionByRank[rank - 1];
            }
        }
        this.grantProtectionByRank = protectionByRank.clone();
        // The floor only adds requirements: where both ask, only what both accept is accepted (possibly nothing)
        this.floor = Objects.requireNonNull(floor, "floor");
        if (!floor.ladder().codes().equals(ladder.codes())) {
            throw new IllegalArgumentException("The protection floor is on the ladder " + floor.ladder().codes() + ", the grant on " + ladder.codes());
        }
        for (final Grade grade : ladder.grades()) {
            final Set<ProtectionMethod> floorAccepts = floor.accepted(grade);
            final Set<ProtectionMethod> grantAccepts = protectionByRank[grade.rank()];
            if (!floorAccepts.isEmpty()) {
                final Set<ProtectionMethod> both = EnumSet.noneOf(ProtectionMethod.class);
                both.addAll(floorAccepts);
                if (grantAccepts != null) {
                    both.retainAll(grantAccepts);
                }
                protectionByRank[grade.rank()] = Collections.unmodifiableSet(both);
            }
        }
        final Grade top = ladder.highest();

        this.gradeDecisions = new Decision[grades];
        for (final Grade grade : ladder.grades()) {
            gradeDecisions[grade.rank()] = grade.isAbove(maximumGrade)
                    ? Decision.deny(DenyCode.GRADE_EXCEEDS_GRANT, "record grade " + grade.code() + " is above the grant's maximum grade " + maximumGrade.code())
                    : Decision.PERMIT;
        }
        this.ungradedDecision = top.isAbove(maximumGrade)
                ? Decision.deny(DenyCode.GRADE_EXCEEDS_GRANT, "record has no grade on the ladder (missing, empty or unknown), so it counts as "
                        + top.code() + " (fail closed), above the grant's maximum grade " + maximumGrade.code())
                : Decision.PERMIT;
    }

    public Grant grant() {
        return grant;
    }

    public GradeLadder ladder() {
        return ladder;
    }

    public Grade maximumGrade() {
        return maximumGrade;
    }

    public PermittedFields permittedFields() {
        return permittedFields;
    }

    /**
     * The scope decision: whether this use, at this instant, may receive a record of this grade.
     *
     * @param grade the record's grade; null when it has none (it counts as the top grade)
     */
    public Decision decide(final UseContext use, final Instant at, final Grade grade) {
        final Decision decision = checkUse(use, at);
        return decision.permitted() ? checkGrade(grade) : decision;
    }

    /** Checks the grant's status and term and the use context, in that order. */
    public Decision checkUse(final UseContext use, final Instant at) {
        final Decision term = checkTerm(at);
        return term.permitted() ? checkUseContext(use) : term;
    }

    /** Checks the grant's status and term: whether it can be used at all at this instant. */
    public Decision checkTerm(final Instant at) {
        switch (grant.status()) {
            case REVOKED -> {
                return Decision.deny(DenyCode.GRANT_REVOKED, "grant " + grant.id() + " was revoked (撤销)");
            }
            case SUSPENDED -> {
                return Decision.deny(DenyCode.GRANT_SUSPENDED, "grant " + grant.id() + " is suspended (暂停)");
            }
            case ACTIVE -> {
            }
        }
        if (at.isBefore(grant.validFrom().toInstant())) {
            return Decision.deny(DenyCode.GRANT_NOT_YET_VALID, "valid from " + format(grant.validFrom().toInstant(), grant.validFrom())
                    + ", used at " + format(at, grant.validFrom()));
        }
        if (!at.isBefore(grant.validUntil().toInstant())) {
            return Decision.deny(DenyCode.GRANT_EXPIRED, "valid until " + format(grant.validUntil().toInstant(), grant.validUntil())
                    + " (exclusive), used at " + format(at, grant.validUntil()));
        }
        return Decision.PERMIT;
    }

    /** Checks the use context against the grant's grantee, domains, scenarios, purposes and datasets, in that order. */
    public Decision checkUseContext(final UseContext use) {
        if (use.grantee() == null) {
            return missing("grantee");
        }
        if (!use.grantee().equals(grant.grantee())) {
            return Decision.deny(DenyCode.GRANTEE_MISMATCH, "grant " + grant.id() + " is granted to " + grant.grantee() + ", not to " + use.grantee());
        }
        if (!domains.isEmpty()) {
            if (use.domain() == null) {
                return missing("domain");
            }
            if (!domains.contains(use.domain())) {
                return Decision.deny(DenyCode.DOMAIN_NOT_GRANTED, "domain '" + use.domain() + "' is not granted; the grant covers " + grant.domains());
            }
        }
        if (!scenarios.isEmpty()) {
            if (use.scenario() == null) {
                return missing("scenario");
            }
            if (!scenarios.contains(use.scenario())) {
                return Decision.deny(DenyCode.SCENARIO_NOT_GRANTED, "scenario '" + use.scenario() + "' is not granted; the grant covers " + grant.scenarios());
            }
        }
        if (!purposes.contains(Grant.ANY)) {
            if (use.purpose() == null) {
                return missing("purpose");
            }
            if (!purposes.contains(use.purpose())) {
                return Decision.deny(DenyCode.PURPOSE_NOT_GRANTED, "purpose '" + use.purpose() + "' is not granted; the grant covers " + grant.purposes());
            }
        }
        if (!datasets.contains(Grant.ANY)) {
            if (use.dataset() == null) {
                return missing("dataset");
            }
            if (!datasets.contains(use.dataset())) {
                return Decision.deny(DenyCode.DATASET_NOT_GRANTED, "dataset '" + use.dataset() + "' is not granted; the grant covers " + grant.datasets());
            }
        }
        return Decision.PERMIT;
    }

    private Decision missing(final String what) {
        return Decision.deny(DenyCode.CONTEXT_MISSING, "the use context names no " + what + ", which grant " + grant.id() + " restricts");
    }

    /** An instant to the millisecond, in the offset the grant was written with, so that reasons read as the grant does. */
    private static String format(final Instant instant, final OffsetDateTime zoneOf) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.truncatedTo(ChronoUnit.MILLIS).atOffset(zoneOf.getOffset()));
    }

    /**
     * Checks a record's grade against the maximum grade.
     *
     * @param grade the record's grade; null when it has none or one the ladder lacks: it counts as the top grade
     */
    public Decision checkGrade(final Grade grade) {
        return grade == null ? ungradedDecision : gradeDecisions[grade.rank()];
    }

    /**
     * The protection methods accepted for fields of this grade, as the grant and the floor require together; empty when
     * neither requires any. {@link #protectionRequired} tells that apart from "required, but nothing is accepted".
     */
    public Set<ProtectionMethod> requiredProtection(final Grade grade) {
        final Set<ProtectionMethod> methods = protectionByRank[grade.rank()];
        return methods == null ? Set.of() : methods;
    }

    /** Whether values of this grade must be protected (by the grant, the floor or both), even if no method is accepted. */
    public boolean protectionRequired(final Grade grade) {
        return protectionByRank[grade.rank()] != null;
    }

    /** What the grant alone accepts for this grade (inherited from the grades below); empty when it requires nothing. */
    public Set<ProtectionMethod> grantProtection(final Grade grade) {
        final Set<ProtectionMethod> methods = grantProtectionByRank[grade.rank()];
        return methods == null ? Set.of() : methods;
    }

    /** The floor under this grant. */
    public ProtectionFloor floor() {
        return floor;
    }

    /** Whether values of this grade never leave (the floor), whatever the grant says. */
    public boolean neverLeaves(final Grade grade) {
        return floor.neverLeaves(grade);
    }

    /** A one-line summary of the scope, for logs and the command line. */
    public String describe() {
        final List<String> parts = new ArrayList<>();
        parts.add("grant " + grant.id() + (grant.issuer() == null ? "" : " issued by " + grant.issuer()) + " to " + grant.grantee());
        parts.add(grant.mode() + " " + grant.mode().term());
        if (!grant.domains().isEmpty()) {
            parts.add("domains " + grant.domains());
        }
        if (!grant.scenarios().isEmpty()) {
            parts.add("scenarios " + grant.scenarios());
        }
        parts.add("purposes " + grant.purposes());
        parts.add("datasets " + grant.datasets());
        parts.add("fields " + grant.permittedFields());
        parts.add("up to " + maximumGrade.code());
        if (!grant.requiredProtection().isEmpty()) {
            parts.add("protection " + ProtectionRequirements.format(grant.requiredProtection()));
        }
        parts.add("term [" + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(grant.validFrom()) + ", "
                + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(grant.validUntil()) + ")");
        parts.add(grant.status().name());
        if (grant.pricing() != null) {
            parts.add(grant.pricing().name());
        }
        return String.join("; ", parts);
    }
}
