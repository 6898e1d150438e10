package io.publicdata.nifi.processors;

import io.publicdata.nifi.grant.Grant;

import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/** The facts of a grant that travel with the data for lineage and disclosure: who issued it, its mode, term and pricing. */
final class GrantFacts {

    private GrantFacts() {
    }

    /** The publicdata.grant.* attributes of a grant (beyond its id); times as RFC 3339 with the offset they were issued in. */
    static Map<String, String> attributes(final Grant grant) {
        final Map<String, String> attributes = new HashMap<>();
        if (grant.issuer() != null) {
            attributes.put(PublicDataAttributes.GRANT_ISSUER, grant.issuer());
        }
        attributes.put(PublicDataAttributes.GRANT_MODE, grant.mode().name());
        attributes.put(PublicDataAttributes.GRANT_VALID_FROM, grant.validFrom().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        attributes.put(PublicDataAttributes.GRANT_VALID_UNTIL, grant.validUntil().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        if (grant.serial() != null) {
            attributes.put(PublicDataAttributes.GRANT_SERIAL, grant.serial());
        }
        if (grant.pricing() != null) {
            attributes.put(PublicDataAttributes.GRANT_PRICING, grant.pricing().name());
        }
        return attributes;
    }
}
