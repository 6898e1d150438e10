package io.publicdata.nifi.processors;

import io.publicdata.nifi.grant.PricingCheck;
import io.publicdata.nifi.grant.UseCheck;
import org.apache.nifi.context.PropertyContext;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The checks EnforceGrantScope runs, in the order they run. A new check is a class of its own and one line here;
 * the processor only runs the lists.
 */
final class GrantChecks {

    private GrantChecks() {
    }

    /**
     * Checks of the use, once per FlowFile before any record is read; the first denial sends the whole FlowFile,
     * unchanged, to 'unauthorized'.
     */
    static List<UseCheck> useChecks(final PropertyContext context) throws IOException {
        final RevocationListFile revocations = GrantProperties.revocationList(context);
        return Stream.of(
                UseCheck.TERM,
                revocations,
                UseCheck.SCOPE,
                PricingCheck.INSTANCE).filter(Objects::nonNull).toList();
    }

    /** Checks of each record, after the fields outside the grant were handled; the first denial denies the record. */
    static List<RecordCheck.Factory> recordChecks(final PropertyContext context) {
        return List.of(
                GradeCheck::new,
                FloorCheck::new,
                ProtectionCheck::new);
    }
}
