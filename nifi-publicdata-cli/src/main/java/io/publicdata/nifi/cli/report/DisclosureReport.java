package io.publicdata.nifi.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.publicdata.nifi.catalog.Catalog;
import io.publicdata.nifi.catalog.Dataset;
import io.publicdata.nifi.catalog.OpenType;
import io.publicdata.nifi.grant.Grant;
import io.publicdata.nifi.grant.GrantStatus;
import io.publicdata.nifi.grant.RevocationList;
import io.publicdata.nifi.lineage.LineageChain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The disclosure of how public data resources were used (授权运营情况披露, clauses 3(5) and 2(2)): the register of grants,
 * their use per dataset and per month as the verified lineage chain records it, the chain's verification, and the
 * open catalog. Built only from a chain that verified; holds counts, codes, field paths and methods, never data.
 */
public record DisclosureReport(OffsetDateTime generatedAt, ZoneId zone, String catalogTitle, List<GrantEntry> grants,
                               Map<UsageKey, Tally> usage, Map<MonthKey, Tally> monthly, Tally total, Chain chain,
                               List<Dataset> openCatalog, List<Dataset> notOpen, Map<String, Dataset> catalog) {

    /** How a grant stands when the report is made: its status, or that its term has not begun or is over. */
    public enum Standing {
        ACTIVE("在用", "in force"), SUSPENDED("暂停", "suspended"), REVOKED("撤销", "revoked"),
        NOT_YET_VALID("未生效", "not yet in force"), EXPIRED("已到期", "expired");

        private final String term;
        private final String english;

        Standing(final String term, final String english) {
            this.term = term;
            this.english = english;
        }

        public String term() {
            return term;
        }

        public String english() {
            return english;
        }

        static Standing of(final Grant grant, final Instant at) {
            if (grant.status() != GrantStatus.ACTIVE) {
                return Standing.valueOf(grant.status().name());
            }
            if (at.isBefore(grant.validFrom().toInstant())) {
                return NOT_YET_VALID;
            }
            return at.isBefore(grant.validUntil().toInstant()) ? ACTIVE : EXPIRED;
        }
    }

    /**
     * A grant of the register, as its signed document says.
     *
     * @param document   the file it was read from
     * @param issuerKey  the id of the issuer key its signature verified with
     * @param revocation the entry of a verified revocation list that revokes it (退出); null when none does
     */
    public record GrantEntry(Grant grant, String document, String issuerKey, Standing standing, RevocationList.Entry revocation) {

        public GrantEntry(final Grant grant, final String document, final String issuerKey, final Standing standing) {
            this(grant, document, issuerKey, standing, null);
        }

        /** The same grant, revoked by this entry of a revocation list when it was revoked by the report's instant. */
        public GrantEntry revokedBy(final RevocationList.Entry entry, final Instant at) {
            return entry.revokedAt().toInstant().isAfter(at) ? this : new GrantEntry(grant, document, issuerKey, Standing.REVOKED, entry);
        }
    }

    /** The use of one dataset under one grant; grantId empty when the events name none. */
    public record UsageKey(String grantId, String dataset) implements Comparable<UsageKey> {
        @Override
        public int compareTo(final UsageKey other) {
            return Comparator.comparing(UsageKey::grantId).thenComparing(UsageKey::dataset).compare(this, other);
        }
    }

    /** The use of one dataset under one grant in one month (yyyy-MM in the report's time zone). */
    public record MonthKey(String month, String grantId, String dataset) implements Comparable<MonthKey> {
        @Override
        public int compareTo(final MonthKey other) {
            return Comparator.comparing(MonthKey::month).thenComparing(MonthKey::grantId).thenComparing(MonthKey::dataset).compare(this, other);
        }
    }

    /**
     * The chain the report was built from.
     *
     * @param events        events verified
     * @param heads         each chain's last event
     * @param expectedHeads the heads the chain was verified against (chain id → hash); empty when none were given
     * @param otherEvents   verified events that are neither a release (COMPLETE) nor a denial (ABORT)
     */
    public record Chain(long events, List<LineageChain.Head> heads, Map<String, String> expectedHeads, long otherEvents) {
    }

    /** Months in order, with the use in each of all grants and datasets together. */
    public Map<String, Tally> byMonth() {
        final Map<String, Tally> months = new TreeMap<>();
        monthly.forEach((key, tally) -> merge(months.computeIfAbsent(key.month(), m -> new Tally()), tally));
        return months;
    }

    /** The grant ids the chain names that are not in the register: uses no disclosed grant explains. */
    public List<String> unregisteredGrants() {
        final List<String> ids = grants.stream().map(g -> g.grant().id()).toList();
        return usage.keySet().stream().map(UsageKey::grantId).distinct().filter(id -> !ids.contains(id)).sorted().toList();
    }

    static void merge(final Tally into, final Tally from) {
        into.releasedFlowFiles += from.releasedFlowFiles;
        into.releasedRecords += from.releasedRecords;
        into.releasedUncounted += from.releasedUncounted;
        from.releasedByGrade.forEach((grade, count) -> into.releasedByGrade.merge(grade, count, Long::sum));
        from.methods.forEach((method, fields) -> into.methods.computeIfAbsent(method, m -> new java.util.TreeSet<>()).addAll(fields));
        into.deniedFlowFiles += from.deniedFlowFiles;
        into.deniedRecords += from.deniedRecords;
        into.deniedUncounted += from.deniedUncounted;
        from.deniedByCode.forEach((code, count) -> into.deniedByCode.merge(code, count, Long::sum));
        from.deniedFlowFilesByCode.forEach((code, count) -> into.deniedFlowFilesByCode.merge(code, count, Long::sum));
    }

    /**
     * Builds the report.
     *
     * @param events the events of a chain that verified, in the order verified
     * @param at     the instant the report speaks of (grant standing); its offset is the report's time zone
     */
    public static DisclosureReport build(final List<GrantEntry> grants, final Catalog catalog, final List<JsonNode> events,
                                         final List<LineageChain.Head> heads, final Map<String, String> expectedHeads,
                                         final OffsetDateTime at, final ZoneId zone) {
        final Map<UsageKey, Tally> usage = new TreeMap<>();
        final Map<MonthKey, Tally> monthly = new TreeMap<>();
        final Tally total = new Tally();
        final DateTimeFormatter month = DateTimeFormatter.ofPattern("yyyy-MM").withZone(zone);
        long other = 0;
        for (final JsonNode event : events) {
            final String type = event.path("eventType").asText();
            if (!type.equals("COMPLETE") && !type.equals("ABORT")) {
                other++;
                continue;
            }
            final String grantId = event.at("/run/facets/publicdata_grant/grantId").asText("");
            final JsonNode input = event.path("inputs").path(0);
            final String dataset = input.at("/facets/publicdata_catalog/catalogCode").asText(input.path("name").asText(""));
            final String inMonth = month.format(Instant.parse(event.path("eventTime").asText()));
            final List<Tally> tallies = List.of(usage.computeIfAbsent(new UsageKey(grantId, dataset), k -> new Tally()),
                    monthly.computeIfAbsent(new MonthKey(inMonth, grantId, dataset), k -> new Tally()), total);
            if (type.equals("COMPLETE")) {
                final JsonNode content = event.at("/outputs/0/facets/publicdata_content/recordCount");
                final long records = content.canConvertToLong() ? content.asLong() : -1;
                final Map<String, Long> byGrade = new LinkedHashMap<>();
                event.at("/run/facets/publicdata_classification/gradeCounts").fields().forEachRemaining(e -> byGrade.put(e.getKey(), e.getValue().asLong()));
                final Map<String, String> protectedFields = new LinkedHashMap<>();
                event.at("/outputs/0/facets/publicdata_protection/fields").fields().forEachRemaining(e -> protectedFields.put(e.getKey(), e.getValue().asText()));
                tallies.forEach(tally -> tally.released(records, byGrade, protectedFields));
            } else {
                final JsonNode denial = event.at("/run/facets/publicdata_denial");
                final long records = denial.path("records").canConvertToLong() ? denial.path("records").asLong() : -1;
                final Map<String, Long> byCode = new LinkedHashMap<>();
                denial.path("codes").fields().forEachRemaining(e -> byCode.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asLong()));
                tallies.forEach(tally -> tally.denied(records, byCode));
            }
        }
        final List<Dataset> open = new ArrayList<>();
        final List<Dataset> notOpen = new ArrayList<>();
        final Map<String, Dataset> byCode = new LinkedHashMap<>();
        for (final Dataset dataset : catalog.datasets()) {
            byCode.put(dataset.code(), dataset);
            (dataset.registration().inForce() && dataset.openType() != OpenType.NOT_OPEN ? open : notOpen).add(dataset);
        }
        return new DisclosureReport(at, zone, catalog.title().orElse(null), List.copyOf(grants), usage, monthly, total,
                new Chain(events.size(), List.copyOf(heads), Map.copyOf(expectedHeads), other), open, notOpen, byCode);
    }

    /** The standing of a grant at an instant, for the register. */
    public static Standing standing(final Grant grant, final Instant at) {
        return Standing.of(grant, at);
    }
}
