package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.GradeLadder;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.Validator;

/** Validators for single property values shared by this bundle's components. */
public final class PublicDataValidators {

    /** A grade ladder specification such as {@code L1=public, L2=internal, L3=sensitive}. */
    public static final Validator GRADE_LADDER = (subject, input, context) -> {
        try {
            GradeLadder.parse(input);
            return new ValidationResult.Builder().subject(subject).input(input).valid(true).build();
        } catch (final IllegalArgumentException e) {
            return new ValidationResult.Builder().subject(subject).input(input).valid(false).explanation(e.getMessage()).build();
        }
    };

    /** A record field name without path separators, or empty. */
    public static final Validator FIELD_NAME_OR_EMPTY = (subject, input, context) -> {
        final boolean valid = input == null || input.isBlank() || !input.contains("/");
        return new ValidationResult.Builder().subject(subject).input(input).valid(valid)
                .explanation(valid ? null : "a field name, not a path: it may not contain '/'").build();
    };

    private PublicDataValidators() {
    }
}
