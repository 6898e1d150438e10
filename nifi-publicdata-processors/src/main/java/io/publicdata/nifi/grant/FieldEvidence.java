package io.publicdata.nifi.grant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.publicdata.nifi.classify.FieldGrade;
import io.publicdata.nifi.classify.FieldGrades;
import io.publicdata.nifi.classify.Grade;

import io.publicdata.nifi.path.FieldPath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What classification and protection say about the fields of a batch of records (one FlowFile): the field grades
 * ClassifyRecord wrote ({@code publicdata.fields}: each path's highest grade over the batch) and the protections
 * ProtectRecord applied ({@code publicdata.protected}: path → method). Against a grant, it decides whether a
 * record of a given grade meets the grant's required protection, and bounds the grade of what remains of a record
 * once the fields the grant does not permit are removed. One per FlowFile; not thread-safe.
 *
 * <p>Required protection is met for a record of grade G when every permitted field that holds a value in it is
 * protected by a method the grant accepts for the lower of G and the field's grade (the highest grade its value can
 * have), as {@code publicdata.protected} shows for every value of the field. Without field grades, or with field
 * grades that cannot explain G (no field reaches it), nothing shows which fields to protect: the record is denied.
 */
public final class FieldEvidence {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int LISTED_PATHS = 5;

    /**
     * The method {@code publicdata.protected} names for a field some of whose values were protected and others left in
     * clear: the field as a whole is not protected by any method.
     */
    public static final String PARTIAL = "PARTIAL";

    private final GrantScope scope;
    private final FieldGrades fieldGrades;
    private final Map<FieldPath, String> protectedFields;
    private final Requirements[] requirementsByRank;
    private final Set<FieldPath> listedPrefixes = new HashSet<>();
    private final Grade highestListed;
    private final Grade keptGrade;

    /**
     * @param fieldGrades     the batch's field grades; null when unknown
     * @param protectedFields field path → protection method name; null or empty when nothing is protected
     */
    public FieldEvidence(final GrantScope scope, final FieldGrades fieldGrades, final Map<FieldPath, String> protectedFields) {
        this.scope = scope;
        this.fieldGrades = fieldGrades;
        this.protectedFields = protectedFields == null ? Map.of() : protectedFields;
        this.requirementsByRank = new Requirements[scope.ladder().grades().size()];
        Grade highest = null;
        Grade kept = null;
        if (fieldGrades != null) {
            for (final Map.Entry<FieldPath, FieldGrade> field : fieldGrades.byPath().entrySet()) {
                final Grade grade = field.getValue().grade();
                highest = Grade.max(highest, grade);
                if (scope.permittedFields().access(field.getKey()) == PermittedFields.Access.ALL) {
                    kept = Grade.max(kept, grade);
                }
                for (FieldPath prefix = field.getKey(); !prefix.isRoot(); prefix = prefix.parent()) {
                    listedPrefixes.add(prefix);
                }
            }
        }
        this.highestListed = highest;
        this.keptGrade = fieldGrades == null ? null : kept == null ? scope.ladder().lowest() : kept;
    }

    /**
     * Reads {@code publicdata.protected} as {@link #protectedPaths} does, keyed by the canonical text of each path.
     *
     * @throws IllegalArgumentException when the text is not such an object, or a key is not a field path
     */
    public static Map<String, String> parseProtected(final String json) {
        final Map<String, String> methods = new HashMap<>();
        protectedPaths(json).forEach((path, method) -> methods.put(path.toString(), method));
        return methods;
    }

    /**
     * Reads {@code publicdata.protected}: a JSON object of field path to the method every value of the field got, or to
     * an object whose {@code method} member names it ({@link #PARTIAL} when some values were left in clear; then
     * {@code methods} lists those applied).
     *
     * @throws IllegalArgumentException when the text is not such an object, or a key is not a field path
     */
    public static Map<FieldPath, String> protectedPaths(final String json) {
        final JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (final JsonProcessingException e) {
            // The parser's own message quotes the text it stopped at: only where is said
            throw new IllegalArgumentException("Protected fields (publicdata.protected) are not valid JSON (" + where(e) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("Protected fields (publicdata.protected) must be a JSON object of field path to method");
        }
        final Map<FieldPath, String> methods = new HashMap<>();
        final Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final JsonNode method = field.getValue().isObject() ? field.getValue().get("method") : field.getValue();
            if (method == null || !method.isTextual()) {
                throw new IllegalArgumentException("Protected field '" + field.getKey() + "' names no method");
            }
            try {
                methods.put(FieldPath.parse(field.getKey()), method.asText());
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("Protected fields (publicdata.protected): " + e.getMessage());
            }
        }
        return methods;
    }

    /**
     * Whether a record of this grade meets the grant's required protection, assuming it holds a value in every listed
     * field (see {@link #protection(Grade, Predicate)}).
     *
     * @param grade the record's grade; null when it has none (it counts as the top grade)
     */
    public Decision protection(final Grade grade) {
        return protection(grade, path -> true);
    }

    /**
     * Whether a record of this grade meets the grant's required protection, judged from the record's own values: every
     * permitted field that holds a value in this record must be protected by a method the grant accepts for the grade
     * that value can have. A value's grade is at most its field's grade over the FlowFile and at most the record's grade,
     * so it is taken to be the lower of the two (a neighbouring record that made the field L4 does not excuse an
     * unprotected L3 value of this one); a field that holds nothing in this record needs nothing. A field whose
     * protection covers only some of its values ({@link #PARTIAL}) protects none.
     *
     * @param grade the record's grade; null when it has none (it counts as the top grade)
     * @param holds whether the record holds a (non-null) value or map key at a place
     */
    public Decision protection(final Grade grade, final Predicate<FieldPath> holds) {
        final Grade recordGrade = grade == null ? scope.ladder().highest() : grade;
        Requirements requirements = requirementsByRank[recordGrade.rank()];
        if (requirements == null) {
            requirements = requirements(recordGrade);
            requirementsByRank[recordGrade.rank()] = requirements;
        }
        if (requirements.denial != null) {
            return requirements.denial;
        }
        List<String> unprotected = null;
        for (final Requirement requirement : requirements.unmet) {
            if (holds.test(requirement.path)) {
                if (unprotected == null) {
                    unprotected = new ArrayList<>();
                }
                unprotected.add(requirement.problem);
            }
        }
        if (unprotected == null) {
            return Decision.PERMIT;
        }
        // Commas, not semicolons: a summary of several reasons separates them with semicolons
        final String listed = String.join(", ", unprotected.subList(0, Math.min(LISTED_PATHS, unprotected.size())));
        return Decision.deny(DenyCode.PROTECTION_REQUIRED, listed
                + (unprotected.size() > LISTED_PATHS ? ", and " + (unprotected.size() - LISTED_PATHS) + " more fields" : ""));
    }

    /** A field a record of some grade needs protected, but which the protections do not show protected so. */
    private record Requirement(FieldPath path, String problem) {
    }

    /** For records of one grade: a denial whatever they hold, or the requirements the protections leave unmet. */
    private record Requirements(Decision denial, List<Requirement> unmet) {
    }

    private Requirements requirements(final Grade recordGrade) {
        if (!scope.protectionRequired(recordGrade)) {
            return new Requirements(null, List.of());
        }
        if (fieldGrades == null) {
            return new Requirements(Decision.deny(DenyCode.PROTECTION_REQUIRED, "grade " + recordGrade.code() + " must be protected ("
                    + needs(recordGrade) + "), but there are no field grades (publicdata.fields) to show which fields hold it"), List.of());
        }
        if (highestListed == null || recordGrade.isAbove(highestListed)) {
            return new Requirements(Decision.deny(DenyCode.PROTECTION_REQUIRED, "grade " + recordGrade.code() + " must be protected ("
                    + needs(recordGrade) + "), but the field grades (publicdata.fields) list no field of that grade"), List.of());
        }
        final List<Requirement> unmet = new ArrayList<>();
        for (final Map.Entry<FieldPath, FieldGrade> field : fieldGrades.byPath().entrySet()) {
            final Grade fieldGrade = field.getValue().grade();
            final Grade bound = fieldGrade.isAbove(recordGrade) ? recordGrade : fieldGrade;
            final Set<ProtectionMethod> accepted = scope.requiredProtection(bound);
            if (!scope.protectionRequired(bound) || scope.permittedFields().access(field.getKey()) != PermittedFields.Access.ALL) {
                continue;
            }
            final String applied = protectedFields.get(field.getKey());
            if (applied == null || ProtectionMethod.find(applied).filter(accepted::contains).isEmpty()) {
                unmet.add(new Requirement(field.getKey(), field.getKey() + " (" + bound.code() + ") needs " + needs(bound) + " but is "
                        + (applied == null ? "unprotected" : PARTIAL.equals(applied) ? "partly in clear"
                        : ProtectionMethod.find(applied).map(Enum::name).orElse("protected by an unknown method"))));
            }
        }
        return new Requirements(null, List.copyOf(unmet));
    }

    /**
     * What a value of this grade needs, saying where the floor had a say: {@code ENCRYPT|DROP (protection floor)}, or,
     * when the grant accepts nothing the floor does, that nothing will do.
     */
    private String needs(final Grade grade) {
        final Set<ProtectionMethod> accepted = scope.requiredProtection(grade);
        final Set<ProtectionMethod> floor = scope.floor().accepted(grade);
        final Set<ProtectionMethod> grant = scope.grantProtection(grade);
        if (accepted.isEmpty()) {
            return "a method both the protection floor (" + names(floor) + ") and the grant (" + names(grant) + ") accept (there is none)";
        }
        // Say so where the floor narrowed what the grant alone would accept
        return names(accepted) + (floor.isEmpty() || !grant.isEmpty() && floor.containsAll(grant) ? "" : " (protection floor)");
    }

    /**
     * Whether a record of this grade holds, in a field the grant permits, a value of a grade that never leaves (the
     * protection floor: L5 核心 by default, 不予开放), judged as {@link #protection(Grade, Predicate)} judges: a value's
     * grade is the lower of its field's and the record's; a field dropped or empty in this record holds nothing. When
     * the record's grade never leaves and the field grades cannot show which fields hold it, the record is denied.
     *
     * @param grade the record's grade; null when it has none (it counts as the top grade)
     * @param holds whether the record holds a (non-null) value or map key at a place
     */
    public Decision neverReleased(final Grade grade, final Predicate<FieldPath> holds) {
        final Grade recordGrade = grade == null ? scope.ladder().highest() : grade;
        if (!scope.neverLeaves(recordGrade)) {
            return Decision.PERMIT;
        }
        if (fieldGrades == null || highestListed == null || recordGrade.isAbove(highestListed)) {
            return Decision.deny(DenyCode.GRADE_NEVER_RELEASED, "record grade " + recordGrade.code() + " never leaves (protection floor, 不予开放), and "
                    + (fieldGrades == null ? "there are no field grades (publicdata.fields)" : "the field grades (publicdata.fields) list no field of that grade")
                    + " to show that it no longer holds such a value");
        }
        final List<String> held = new ArrayList<>();
        for (final Map.Entry<FieldPath, FieldGrade> field : fieldGrades.byPath().entrySet()) {
            final Grade fieldGrade = field.getValue().grade();
            final Grade bound = fieldGrade.isAbove(recordGrade) ? recordGrade : fieldGrade;
            if (scope.neverLeaves(bound) && scope.permittedFields().access(field.getKey()) == PermittedFields.Access.ALL && holds.test(field.getKey())) {
                held.add(field.getKey() + " (" + bound.code() + ")");
            }
        }
        if (held.isEmpty()) {
            return Decision.PERMIT;
        }
        return Decision.deny(DenyCode.GRADE_NEVER_RELEASED, String.join(", ", held.subList(0, Math.min(LISTED_PATHS, held.size())))
                + (held.size() > LISTED_PATHS ? ", and " + (held.size() - LISTED_PATHS) + " more fields" : "")
                + (held.size() == 1 ? " is" : " are") + " of a grade that never leaves, protected or not (protection floor, 不予开放)");
    }

    private static String names(final Set<ProtectionMethod> methods) {
        return methods.stream().map(Enum::name).collect(Collectors.joining("|"));
    }

    /**
     * The highest grade the field grades give a field the grant permits: a bound on the grade of what remains of
     * a record once the fields outside the grant are removed. Null when there are no field grades.
     */
    public Grade keptGrade() {
        return keptGrade;
    }

    /** Whether the field grades list this path or a path below it, i.e. classification saw values there. */
    public boolean lists(final FieldPath path) {
        return listedPrefixes.contains(path);
    }

    private static String where(final JsonProcessingException e) {
        return e.getLocation() == null ? "at an unknown place" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
