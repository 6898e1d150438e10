package io.publicdata.nifi.processors;

import org.apache.nifi.components.DescribedValue;

/** Where a FlowFile carries its signed use request. */
public enum RequestLocation implements DescribedValue {

    ATTRIBUTE("Attribute", "In the attribute named by Use Request Attribute; the FlowFile's content is the records it is a use of."),
    CONTENT("FlowFile Content", "The FlowFile is the signed request and nothing else (e.g. the body of an operator's call, at most 64 KiB): "
            + "it goes to 'authorized' or 'unauthorized' as a whole, unchanged, and no records are read.");

    private final String displayName;
    private final String description;

    RequestLocation(final String displayName, final String description) {
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
