package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.FieldGrades;
import io.publicdata.nifi.grant.FieldEvidence;
import io.publicdata.nifi.grant.GrantScope;

import java.util.Map;

/**
 * What one FlowFile says about its records, for the record checks: the grant they are checked against, the
 * FlowFile's attributes, and the field grades and protections read from them when a check first needs them.
 * One per FlowFile; not thread-safe.
 */
final class FlowFileEvidence {

    private final GrantScope scope;
    private final Map<String, String> attributes;
    private FieldEvidence fields;

    FlowFileEvidence(final GrantScope scope, final Map<String, String> attributes) {
        this.scope = scope;
        this.attributes = attributes;
    }

    GrantScope scope() {
        return scope;
    }

    Map<String, String> attributes() {
        return attributes;
    }

    /** Whether the FlowFile carries field grades ({@code publicdata.fields}). */
    boolean hasFieldGrades() {
        return attributes.get(PublicDataAttributes.FIELDS) != null;
    }

    /**
     * Field grades ({@code publicdata.fields}) and protections ({@code publicdata.protected}), read once.
     *
     * @throws IllegalArgumentException when either attribute cannot be read: the FlowFile goes to failure
     */
    FieldEvidence fields() {
        if (fields == null) {
            final String grades = attributes.get(PublicDataAttributes.FIELDS);
            final String protectedFields = attributes.get(PublicDataAttributes.PROTECTED);
            fields = new FieldEvidence(scope, grades == null ? null : FieldGrades.fromJson(grades, scope.ladder()),
                    protectedFields == null ? null : FieldEvidence.protectedPaths(protectedFields));
        }
        return fields;
    }
}
