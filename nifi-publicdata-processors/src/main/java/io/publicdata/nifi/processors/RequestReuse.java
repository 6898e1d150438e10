package io.publicdata.nifi.processors;

import org.apache.nifi.components.DescribedValue;

/** How often one signed use request may authorize a use. */
public enum RequestReuse implements DescribedValue {

    ONE_FLOWFILE("One FlowFile", "A request authorizes one FlowFile: any other FlowFile that presents it again is a replay (REQUEST_REPLAYED)."),
    UNTIL_EXPIRY("Any FlowFile Until Expiry", "The same signed request may authorize several FlowFiles (e.g. the batches of one delivery) "
            + "until it expires; another document with an id already used is a replay (REQUEST_REPLAYED).");

    private final String displayName;
    private final String description;

    RequestReuse(final String displayName, final String description) {
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
