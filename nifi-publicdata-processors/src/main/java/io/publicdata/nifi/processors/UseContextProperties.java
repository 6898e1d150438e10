package io.publicdata.nifi.processors;

import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.util.StandardValidators;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** EnforceGrantScope's use context: the properties that say where it comes from, and the source they make. */
public final class UseContextProperties {

    public static final PropertyDescriptor USE_CONTEXT_SOURCE = new PropertyDescriptor.Builder()
            .name("Use Context Source")
            .description("Where each FlowFile's use context (who uses the data and for what) comes from: attributes set upstream, or a use "
                    + "request signed by the grantee with a key the grant names (Grantee Keys, or granteeKeys in a signed grant).")
            .required(true)
            .allowableValues(UseContextFrom.class)
            .defaultValue(UseContextFrom.ATTRIBUTES)
            .build();

    public static final PropertyDescriptor USE_REQUEST_ATTRIBUTE = new PropertyDescriptor.Builder()
            .name("Use Request Attribute")
            .description("The FlowFile attribute holding the signed use request (JSON), e.g. set upstream from the operator's call.")
            .required(true)
            .defaultValue(PublicDataAttributes.USE_REQUEST)
            .addValidator(StandardValidators.ATTRIBUTE_KEY_VALIDATOR)
            .dependsOn(USE_CONTEXT_SOURCE, UseContextFrom.SIGNED_USE_REQUEST)
            .build();

    public static final PropertyDescriptor USE_REQUEST_LOCATION = new PropertyDescriptor.Builder()
            .name("Use Request Location")
            .description("Where the FlowFile carries the signed use request: in an attribute beside the records it is a use of, or as "
                    + "its whole content, where the flow carries only the request (then no records are read).")
            .required(true)
            .allowableValues(RequestLocation.class)
            .defaultValue(RequestLocation.ATTRIBUTE)
            .dependsOn(USE_CONTEXT_SOURCE, UseContextFrom.SIGNED_USE_REQUEST)
            .build();

    public static final PropertyDescriptor MAXIMUM_REQUEST_VALIDITY = new PropertyDescriptor.Builder()
            .name("Maximum Request Validity")
            .description("The longest validity (validUntil - issuedAt) a signed use request may have. A request is remembered against "
                    + "replays until it expires, so this bounds how long it is remembered; a longer one is denied with REQUEST_INVALID.")
            .required(true)
            .defaultValue("1 hour")
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .dependsOn(USE_CONTEXT_SOURCE, UseContextFrom.SIGNED_USE_REQUEST)
            .build();

    public static final PropertyDescriptor REQUEST_REUSE = new PropertyDescriptor.Builder()
            .name("Request Reuse")
            .description("How many FlowFiles one signed use request may authorize.")
            .required(true)
            .allowableValues(RequestReuse.class)
            .defaultValue(RequestReuse.ONE_FLOWFILE)
            .dependsOn(USE_CONTEXT_SOURCE, UseContextFrom.SIGNED_USE_REQUEST)
            .build();

    public static final PropertyDescriptor MAXIMUM_REMEMBERED_REQUESTS = new PropertyDescriptor.Builder()
            .name("Maximum Remembered Requests")
            .description("How many unexpired use requests are remembered against replays (in NiFi's cluster state, or the node's state "
                    + "when not clustered). When that many are remembered, new requests are denied with REQUEST_UNRECORDED until some "
                    + "expire: a request is never forgotten before it expires.")
            .required(true)
            .defaultValue("5000")
            .addValidator(StandardValidators.POSITIVE_INTEGER_VALIDATOR)
            .dependsOn(USE_CONTEXT_SOURCE, UseContextFrom.SIGNED_USE_REQUEST)
            .build();

    public static final PropertyDescriptor GRANTEE_ATTRIBUTE = attribute("Grantee Attribute", PublicDataAttributes.USE_GRANTEE, "who uses the data");
    public static final PropertyDescriptor DOMAIN_ATTRIBUTE = attribute("Domain Attribute", PublicDataAttributes.USE_DOMAIN, "the domain of the use");
    public static final PropertyDescriptor SCENARIO_ATTRIBUTE = attribute("Scenario Attribute", PublicDataAttributes.USE_SCENARIO, "the scenario of the use");
    public static final PropertyDescriptor PURPOSE_ATTRIBUTE = attribute("Purpose Attribute", PublicDataAttributes.USE_PURPOSE, "the purpose of the use");
    public static final PropertyDescriptor PURPOSE_CATEGORY_ATTRIBUTE = attribute("Purpose Category Attribute", PublicDataAttributes.USE_PURPOSE_CATEGORY,
            "the category of the purpose (e.g. 公共治理, 公益事业, 产业发展, 行业发展)");

    public static final PropertyDescriptor DATASET_ATTRIBUTE = new PropertyDescriptor.Builder()
            .name("Dataset Attribute")
            .description("The FlowFile attribute that names the catalog id of the data used; with a signed use request it must be a "
                    + "dataset the request asks for.")
            .required(true)
            .defaultValue(PublicDataAttributes.DATASET)
            .addValidator(StandardValidators.ATTRIBUTE_KEY_VALIDATOR)
            .build();

    /** In the order the processor lists them. */
    static final List<PropertyDescriptor> DESCRIPTORS = List.of(USE_CONTEXT_SOURCE, USE_REQUEST_LOCATION, USE_REQUEST_ATTRIBUTE, MAXIMUM_REQUEST_VALIDITY,
            REQUEST_REUSE, MAXIMUM_REMEMBERED_REQUESTS, GRANTEE_ATTRIBUTE, DOMAIN_ATTRIBUTE, SCENARIO_ATTRIBUTE, PURPOSE_ATTRIBUTE,
            PURPOSE_CATEGORY_ATTRIBUTE, DATASET_ATTRIBUTE);

    private UseContextProperties() {
    }

    private static PropertyDescriptor attribute(final String name, final String defaultAttribute, final String meaning) {
        return new PropertyDescriptor.Builder()
                .name(name)
                .description("The FlowFile attribute that names " + meaning + " in the use context.")
                .required(true)
                .defaultValue(defaultAttribute)
                .addValidator(StandardValidators.ATTRIBUTE_KEY_VALIDATOR)
                .dependsOn(USE_CONTEXT_SOURCE, UseContextFrom.ATTRIBUTES)
                .build();
    }

    static boolean signedRequests(final PropertyContext context) {
        return context.getProperty(USE_CONTEXT_SOURCE).asAllowableValue(UseContextFrom.class) == UseContextFrom.SIGNED_USE_REQUEST;
    }

    /** The attribute the FlowFile's content is read into as its signed use request; null unless the request is the content. */
    static String requestFromContent(final PropertyContext context) {
        return signedRequests(context) && context.getProperty(USE_REQUEST_LOCATION).asAllowableValue(RequestLocation.class) == RequestLocation.CONTENT
                ? context.getProperty(USE_REQUEST_ATTRIBUTE).getValue() : null;
    }

    /** The configured source of each FlowFile's use context. */
    static UseContextSource source(final ProcessContext context) {
        if (signedRequests(context)) {
            final int maximum = context.getProperty(MAXIMUM_REMEMBERED_REQUESTS).asInteger();
            final RequestReuse reuse = context.getProperty(REQUEST_REUSE).asAllowableValue(RequestReuse.class);
            return new SignedRequestUseContext(context.getProperty(USE_REQUEST_ATTRIBUTE).getValue(), context.getProperty(DATASET_ATTRIBUTE).getValue(),
                    Duration.ofMillis(context.getProperty(MAXIMUM_REQUEST_VALIDITY).asTimePeriod(TimeUnit.MILLISECONDS)), reuse,
                    new RequestReplayMemory(context.getStateManager(), reuse, maximum), maximum);
        }
        return new AttributeUseContext(context.getProperty(GRANTEE_ATTRIBUTE).getValue(), context.getProperty(DOMAIN_ATTRIBUTE).getValue(),
                context.getProperty(SCENARIO_ATTRIBUTE).getValue(), context.getProperty(PURPOSE_ATTRIBUTE).getValue(),
                context.getProperty(DATASET_ATTRIBUTE).getValue(), context.getProperty(PURPOSE_CATEGORY_ATTRIBUTE).getValue());
    }
}
