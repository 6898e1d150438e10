package io.publicdata.nifi.processors;

import org.apache.nifi.components.DescribedValue;

/** Where EnforceGrantScope's grant comes from. */
public enum GrantSource implements DescribedValue {

    PROPERTIES("Processor Properties", "The grant is set in this processor's properties, e.g. by the flow's administrator."),
    SIGNED_DOCUMENT("Signed Grant Document", "The grant is a JSON document signed by the issuing data authority and verified with its public key.");

    private final String displayName;
    private final String description;

    GrantSource(final String displayName, final String description) {
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
