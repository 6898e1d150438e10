package io.publicdata.nifi.processors;

import org.apache.nifi.components.DescribedValue;

/** Where EnforceGrantScope takes each FlowFile's use context from. */
public enum UseContextFrom implements DescribedValue {

    ATTRIBUTES("Attributes", "The use context attributes (publicdata.use.*) as set upstream: whoever sets them vouches for them."),
    SIGNED_USE_REQUEST("Signed Use Request", "A use request (用途申请) signed by the grantee with a key the grant names, carried in an "
            + "attribute: verified, checked against the grant, its validity and earlier uses (replay), then used as the use context.");

    private final String displayName;
    private final String description;

    UseContextFrom(final String displayName, final String description) {
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
