package io.publicdata.nifi.processors;

import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.grant.UseContext;

import java.time.Instant;
import java.util.Map;

/**
 * The use context as the FlowFile's attributes declare it (publicdata.use.*, publicdata.dataset, or the attributes
 * configured instead): whoever sets the attributes upstream vouches for them.
 *
 * @param grantee         the attribute naming who uses the data
 * @param domain          the attribute naming the domain of the use
 * @param scenario        the attribute naming the scenario of the use
 * @param purpose         the attribute naming the purpose of the use
 * @param dataset         the attribute naming the catalog id of the data used
 * @param purposeCategory the attribute naming the category of the purpose
 */
record AttributeUseContext(String grantee, String domain, String scenario, String purpose, String dataset, String purposeCategory)
        implements UseContextSource {

    @Override
    public Result contextOf(final Map<String, String> attributes, final GrantScope scope, final Instant at) {
        return new Known(new UseContext(attributes.get(grantee), attributes.get(domain), attributes.get(scenario),
                attributes.get(purpose), attributes.get(dataset), attributes.get(purposeCategory)));
    }
}
