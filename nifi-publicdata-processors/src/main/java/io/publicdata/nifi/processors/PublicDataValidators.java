package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.GrantJson;
import io.publicdata.nifi.grant.ProtectionRequirements;
import io.publicdata.nifi.protect.KeyRing;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.Validator;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** Validators for single property values shared by this bundle's components. */
public final class PublicDataValidators {

    /** A grade ladder specification such as {@code L1=public, L2=internal, L3=sensitive}. */
    public static final Validator GRADE_LADDER = parsedBy(GradeLadder::parse);

    /** A record field name without path separators, or empty. */
    public static final Validator FIELD_NAME_OR_EMPTY = (subject, input, context) -> {
        final boolean valid = input == null || input.isBlank() || !input.contains("/");
        return new ValidationResult.Builder().subject(subject).input(input).valid(valid)
                .explanation(valid ? null : "a field name, not a path: it may not contain '/'").build();
    };

    /** A comma-separated list of at least one non-blank name ({@link #names}). */
    public static final Validator NAME_LIST = (subject, input, context) -> {
        final boolean valid = input != null && !names(input).isEmpty();
        return new ValidationResult.Builder().subject(subject).input(input).valid(valid)
                .explanation(valid ? null : "a comma-separated list of at least one name").build();
    };

    /** An ISO-8601 date-time with an offset, e.g. {@code 2025-01-01T00:00:00+08:00}. */
    public static final Validator DATE_TIME = (subject, input, context) -> check(subject, input, text -> GrantJson.parseTime(text, subject));

    /** Required protection, {@code GRADE=METHOD|METHOD} pairs ({@link ProtectionRequirements}). */
    public static final Validator PROTECTION_REQUIREMENTS = parsedBy(ProtectionRequirements::parse);

    /** One field path such as {@code /id} or {@code /applicant/serialNo}: field names only, no wildcards, no map entries. */
    public static final Validator FIELD_PATH = (subject, input, context) -> {
        String problem = null;
        try {
            final io.publicdata.nifi.path.FieldPath path = io.publicdata.nifi.path.FieldPath.parse(input.strip());
            if (path.isRoot() || !path.isFieldNamesOnly()) {
                problem = "a path to one field such as /id or /applicant/serialNo (no wildcards, no map entries)";
            }
        } catch (final IllegalArgumentException e) {
            problem = e.getMessage();
        }
        return new ValidationResult.Builder().subject(subject).input(input).valid(problem == null).explanation(problem).build();
    };

    /** The id of a key of the key provider: written in clear into ciphertexts, so letters, digits, '.', '_' or '-'. */
    public static final Validator KEY_ID = (subject, input, context) -> {
        final boolean valid = KeyRing.isKeyId(input);
        return new ValidationResult.Builder().subject(subject).input(input).valid(valid)
                .explanation(valid ? null : "a key id is 1 to 64 letters, digits, '.', '_' or '-'").build();
    };

    private PublicDataValidators() {
    }

    /** The names of a comma-separated list, stripped, blanks left out; empty for null. */
    public static List<String> names(final String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList();
    }

    /** Valid when the parser accepts the value; otherwise its {@link IllegalArgumentException} message explains. */
    private static Validator parsedBy(final Consumer<String> parser) {
        return (subject, input, context) -> check(subject, input, parser);
    }

    private static ValidationResult check(final String subject, final String input, final Consumer<String> parser) {
        try {
            parser.accept(input);
            return new ValidationResult.Builder().subject(subject).input(input).valid(true).build();
        } catch (final IllegalArgumentException e) {
            return new ValidationResult.Builder().subject(subject).input(input).valid(false).explanation(e.getMessage()).build();
        }
    }
}
