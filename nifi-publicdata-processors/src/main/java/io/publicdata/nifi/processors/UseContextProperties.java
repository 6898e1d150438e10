package io.publicdata.nifi.processors;

import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.context.PropertyContext;
import org.apache.nifi.processor.util.StandardValidators;

import java.util.List;

/** EnforceGrantScope's use context: the properties that say where it comes from, and the source they make. */
public final class UseContextProperties {

    public static final PropertyDescriptor GRANTEE_ATTRIBUTE = attribute("Grantee Attribute", PublicDataAttributes.USE_GRANTEE, "who uses the data");
    public static final PropertyDescriptor DOMAIN_ATTRIBUTE = attribute("Domain Attribute", PublicDataAttributes.USE_DOMAIN, "the domain of the use");
    public static final PropertyDescriptor SCENARIO_ATTRIBUTE = attribute("Scenario Attribute", PublicDataAttributes.USE_SCENARIO, "the scenario of the use");
    public static final PropertyDescriptor PURPOSE_ATTRIBUTE = attribute("Purpose Attribute", PublicDataAttributes.USE_PURPOSE, "the purpose of the use");
    public static final PropertyDescriptor PURPOSE_CATEGORY_ATTRIBUTE = attribute("Purpose Category Attribute", PublicDataAttributes.USE_PURPOSE_CATEGORY,
            "the category of the purpose (e.g. 公共治理, 公益事业, 产业发展, 行业发展)");
    public static final PropertyDescriptor DATASET_ATTRIBUTE = attribute("Dataset Attribute", PublicDataAttributes.DATASET, "the catalog id of the data used");

    /** In the order the processor lists them. */
    static final List<PropertyDescriptor> DESCRIPTORS = List.of(GRANTEE_ATTRIBUTE, DOMAIN_ATTRIBUTE, SCENARIO_ATTRIBUTE, PURPOSE_ATTRIBUTE,
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
                .build();
    }

    /** The configured source of each FlowFile's use context. */
    static UseContextSource source(final PropertyContext context) {
        return new AttributeUseContext(context.getProperty(GRANTEE_ATTRIBUTE).getValue(), context.getProperty(DOMAIN_ATTRIBUTE).getValue(),
                context.getProperty(SCENARIO_ATTRIBUTE).getValue(), context.getProperty(PURPOSE_ATTRIBUTE).getValue(),
                context.getProperty(DATASET_ATTRIBUTE).getValue(), context.getProperty(PURPOSE_CATEGORY_ATTRIBUTE).getValue());
    }
}
