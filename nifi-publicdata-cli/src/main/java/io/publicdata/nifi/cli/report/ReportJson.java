package io.publicdata.nifi.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.catalog.Dataset;
import io.publicdata.nifi.grant.Grant;
import io.publicdata.nifi.lineage.LineageChain;

import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** The report as one JSON document, for machines: every figure of the page and the CSV files. */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportJson() {
    }

    public static String write(final DisclosureReport report) {
        final ObjectNode root = MAPPER.createObjectNode();
        root.put("format", "publicdata-report/1");
        root.put("generatedAt", report.generatedAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        root.put("timeZone", report.zone().getId());
        if (report.catalogTitle() != null) {
            root.put("catalogTitle", report.catalogTitle());
        }
        final ObjectNode chain = root.putObject("chain");
        chain.put("verified", true);
        chain.put("events", report.chain().events());
        chain.put("releaseEvents", report.total().releasedFlowFiles());
        chain.put("denialEvents", report.total().deniedFlowFiles());
        chain.put("otherEvents", report.chain().otherEvents());
        final ArrayNode heads = chain.putArray("heads");
        for (final LineageChain.Head head : report.chain().heads()) {
            heads.addObject().put("chainId", head.chainId()).put("sequence", head.sequence()).put("hash", head.hash())
                    .put("matchesGivenHead", report.chain().expectedHeads().containsKey(head.chainId()));
        }
        final ArrayNode grants = root.putArray("grants");
        for (final DisclosureReport.GrantEntry entry : report.grants()) {
            final Grant grant = entry.grant();
            final ObjectNode node = grants.addObject();
            node.put("id", grant.id());
            putNullable(node, "serial", grant.serial());
            putNullable(node, "issuer", grant.issuer());
            node.put("grantee", grant.grantee());
            node.put("mode", grant.mode().name()).put("modeTerm", grant.mode().term());
            strings(node.putArray("domains"), grant.domains());
            strings(node.putArray("scenarios"), grant.scenarios());
            strings(node.putArray("purposes"), grant.purposes());
            final ArrayNode datasets = node.putArray("datasets");
            for (final String code : grant.datasets()) {
                final ObjectNode dataset = datasets.addObject().put("code", code);
                final Dataset entryOf = report.catalog().get(code);
                if (entryOf != null) {
                    dataset.put("name", entryOf.name());
                }
            }
            strings(node.putArray("permittedFields"), grant.permittedFields());
            node.put("maximumGrade", grant.maximumGrade());
            node.put("validFrom", grant.validFrom().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            node.put("validUntil", grant.validUntil().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            node.put("status", grant.status().name());
            node.put("standing", entry.standing().name()).put("standingTerm", entry.standing().term());
            if (grant.pricing() != null) {
                node.put("pricing", grant.pricing().name());
            }
            node.put("pricingTerm", Terms.pricing(grant.pricing()));
            node.put("document", entry.document()).put("issuerKey", entry.issuerKey());
            if (entry.revocation() != null) {
                final ObjectNode revocation = node.putObject("revocation");
                revocation.put("revokedAt", entry.revocation().revokedAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
                putNullable(revocation, "serial", entry.revocation().serial());
                putNullable(revocation, "reason", entry.revocation().reason());
            }
        }
        final ArrayNode usage = root.putArray("usage");
        report.usage().forEach((key, tally) -> tally(usage.addObject().put("grantId", key.grantId()).put("dataset", key.dataset()), report, key.dataset(), tally));
        final ArrayNode monthly = root.putArray("monthly");
        report.monthly().forEach((key, tally) -> tally(monthly.addObject().put("month", key.month()).put("grantId", key.grantId())
                .put("dataset", key.dataset()), report, key.dataset(), tally));
        tally(root.putObject("totals"), report, null, report.total());
        strings(root.putArray("grantsNotInRegister"), report.unregisteredGrants());
        datasets(root.putArray("openCatalog"), report.openCatalog());
        datasets(root.putArray("notInOpenCatalog"), report.notOpen());
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void tally(final ObjectNode node, final DisclosureReport report, final String dataset, final Tally tally) {
        if (dataset != null && report.catalog().containsKey(dataset)) {
            node.put("datasetName", report.catalog().get(dataset).name());
        }
        final ObjectNode released = node.putObject("released");
        released.put("flowFiles", tally.releasedFlowFiles()).put("records", tally.releasedRecords());
        if (tally.releasedUncounted() > 0) {
            released.put("flowFilesNotCounted", tally.releasedUncounted());
        }
        longs(released.putObject("byGrade"), tally.releasedByGrade());
        final ObjectNode methods = released.putObject("methods");
        tally.methods().forEach((method, fields) -> strings(methods.putArray(method), fields));
        final ObjectNode denied = node.putObject("denied");
        denied.put("flowFiles", tally.deniedFlowFiles()).put("records", tally.deniedRecords());
        if (tally.deniedUncounted() > 0) {
            denied.put("flowFilesNotCounted", tally.deniedUncounted());
        }
        final ObjectNode byCode = denied.putObject("byCode");
        tally.deniedFlowFilesByCode().forEach((code, flowFiles) -> byCode.putObject(code).put("records", tally.deniedByCode().get(code))
                .put("flowFiles", flowFiles));
    }

    private static void datasets(final ArrayNode array, final Collection<Dataset> datasets) {
        for (final Dataset dataset : datasets) {
            final ObjectNode node = array.addObject();
            node.put("code", dataset.code()).put("name", dataset.name()).put("department", dataset.department()).put("domain", dataset.domain());
            node.put("openType", dataset.openType().name()).put("openTypeTerm", dataset.openType().term());
            final ObjectNode registration = node.putObject("registration");
            registration.put("status", dataset.registration().status().name()).put("statusTerm", dataset.registration().status().term());
            putNullable(registration, "number", dataset.registration().number());
            putNullable(registration, "date", dataset.registration().date() == null ? null : dataset.registration().date().toString());
            node.put("updateCycle", dataset.updateCycle().name()).put("updateCycleTerm", dataset.updateCycle().term());
            node.put("dataItems", dataset.items().size());
        }
    }

    private static void putNullable(final ObjectNode node, final String name, final String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static void strings(final ArrayNode array, final Collection<String> values) {
        values.forEach(array::add);
    }

    private static void longs(final ObjectNode node, final Map<String, Long> values) {
        values.forEach(node::put);
    }

    static String methodsText(final Map<String, Set<String>> methods) {
        final StringBuilder text = new StringBuilder();
        methods.forEach((method, fields) -> text.append(text.isEmpty() ? "" : "; ").append(method).append(' ').append(Terms.method(method))
                .append(": ").append(String.join(", ", fields)));
        return text.toString();
    }
}
