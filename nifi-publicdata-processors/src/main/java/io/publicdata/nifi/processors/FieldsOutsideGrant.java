package io.publicdata.nifi.processors;

import org.apache.nifi.components.DescribedValue;

/** What EnforceGrantScope does with values in fields the grant does not permit. */
public enum FieldsOutsideGrant implements DescribedValue {

    REMOVE("Remove Fields", "Remove the fields the grant does not permit; the rest of the record may still be authorized."),
    DENY("Deny Record", "Send a record that holds a value in a field the grant does not permit to 'unauthorized' as it is.");

    private final String displayName;
    private final String description;

    FieldsOutsideGrant(final String displayName, final String description) {
        this.displayName = displayName;
        this.description = description;
    }

    @Override
    public String getValue() {
        return name();
    }

    @Override
    public String getDisplayName() {
        return displayName;
    }

    @Override
    public String getDescription() {
        return description;
    }
}
