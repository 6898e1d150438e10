package io.publicdata.nifi.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.SignatureAlgorithm;
import io.publicdata.nifi.grant.UseRequest;
import io.publicdata.nifi.grant.UseRequestDocument;
import io.publicdata.nifi.path.FieldPath;
import io.publicdata.nifi.protect.FieldCipher;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

/**
 * Bad input gets a clear error and loses nothing, for every processor of the NAR, as a property over generated hostile
 * FlowFiles: valid records of the policy flow (as the real flow produces them, through NiFi's JSON and CSV readers and
 * writers) are mutated at the byte level (cut, a byte flipped, inserted or deleted, invalid UTF-8, a BOM, NULs), at the
 * structure level (unterminated strings and quotes, values of the wrong type, records that are arrays or scalars, huge
 * numbers, nesting past the record walker's bound, CSV rows with too many or too few columns, an empty content, a header
 * alone), in the attributes the processor reads (missing, empty, malformed, hostile), and, for DecryptRecord, in the
 * ciphertexts (a byte changed, cut, moved to another field or record, key id or algorithm relabelled).
 *
 * <p>For every generated FlowFile: nothing escapes onTrigger, the input leaves the queue and nothing is dropped; it ends
 * whole on one relationship, or split by records with nothing lost (EnforceGrantScope, AssessDisclosureRisk's
 * suppression); a FlowFile on failure (or refused whole on unauthorized) is byte for byte the input, with a non-empty
 * reason that holds no value planted in the input; a FlowFile on success holds records the writer's format reads, as many
 * as came in, and the processor's own promise holds (fields it was told to protect are protected, decrypted values are the
 * ones encrypted at that very place, fields outside the grant never pass, ...). Fixed seeds: a failure reproduces.
 */
class BadInputLosesNothingProperties {

    enum Format { JSON, CSV }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    private static final String DATASET = "GOV-CIVIL-001";
    private static final String GRANTEE = "91110105MA01ABCD1X";
    private static final String ID1 = "11010519491231002X";
    private static final String ID2 = residentId("44030619850704123");
    private static final String MOBILE1 = "13800138000";
    private static final String MOBILE2 = "13712345678";
    private static final String PHONE = "13912345678";
    /** Opaque values no detector knows: only the rule that no message quotes data keeps them out of reasons. */
    private static final String TOKEN = "Qx7PLANTED";
    private static final String TAG = "Qx7TAGVALUE";
    private static final List<String> PLANTED = List.of(ID1, ID2, MOBILE1, MOBILE2, PHONE, TOKEN, TAG);
    private static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String KEY2 = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
    private static final String PSEUDONYM_KEY = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
    /** What ProtectRecord is told to protect, by path, whatever the grades say. */
    private static final Map<String, String> TOLD = Map.of("/idCard", "ENCRYPT", "/mobile", "ENCRYPT", "/note", "REDACT", "/contact/phone", "ENCRYPT");
    private static final List<String> PERMITTED = List.of("id", "name", "district", "mobile", "note", "contact", "tags", "_grade");
    private static final Set<String> LADDER = Set.of("L1", "L2", "L3", "L4", "L5");
    private static final int TRIES = Integer.getInteger("badinput.tries", 200);
    private static final int SHRINK_CYCLES = Integer.getInteger("badinput.shrink", 10);

    private static final Map<Format, Flow> FLOWS = new HashMap<>();
    private static KeyPair granteeKeys;

    /** One hostile FlowFile and how it was made. */
    record Hostile(String how, byte[] content, Map<String, String> attributes) {
        @Override
        public String toString() {
            final String text = new String(content, StandardCharsets.UTF_8);
            return how + " | content " + (text.length() > 600 ? text.substring(0, 600) + "..." : text);
        }
    }

    /** The valid input of each processor in one format, as the policy flow produced it. */
    record Input(byte[] content, Map<String, String> attributes) {
    }

    /** The runners of one format, and the valid FlowFile each processor gets in the policy flow. */
    static final class Flow {
        final Format format;
        final Map<String, TestRunner> runners = new LinkedHashMap<>();
        final Map<String, Input> inputs = new HashMap<>();
        final Set<TestRunner> scheduled = new HashSet<>();
        /** The plaintexts ProtectRecord encrypted, by record key (/id) and path, for DecryptRecord's promise. */
        final Map<String, Map<String, String>> plaintexts = new HashMap<>();

        Flow(final Format format) {
            this.format = format;
        }
    }

    // ---- the policy flow that makes the valid inputs ---------------------------------------------------------------

    @BeforeAll
    static void flows() throws Exception {
        granteeKeys = SignatureAlgorithm.ED25519.generateKeyPair();
        for (final Format format : Format.values()) {
            FLOWS.put(format, flow(format));
        }
    }

    private static Flow flow(final Format format) throws Exception {
        final Flow flow = new Flow(format);
        flow.runners.put("ClassifyRecord", io(TestRunners.newTestRunner(ClassifyRecord.class), format));
        flow.runners.put("EnforceGrantScope", enforce(format, false));
        flow.runners.put("EnforceGrantScope (signed use requests)", enforce(format, true));
        final TestRunner protect = keyed(io(TestRunners.newTestRunner(ProtectRecord.class), format), ProtectRecord.KEY_PROVIDER);
        protect.setProperty(ProtectRecord.FIELD_METHODS, MAPPER.writeValueAsString(told(format)));
        protect.setProperty(ProtectRecord.PSEUDONYM_KEY_ID, "p1");
        protect.setProperty(ProtectRecord.RECORD_KEY_FIELD, "/id");
        flow.runners.put("ProtectRecord", protect);
        final TestRunner decrypt = keyed(io(TestRunners.newTestRunner(DecryptRecord.class), format), DecryptRecord.KEY_PROVIDER);
        decrypt.setProperty(DecryptRecord.RECORD_KEY_FIELD, "/id");
        flow.runners.put("DecryptRecord", decrypt);
        final TestRunner risk = io(TestRunners.newTestRunner(AssessDisclosureRisk.class), format);
        risk.setProperty(AssessDisclosureRisk.QUASI_IDENTIFIERS, "/district");
        risk.setProperty(AssessDisclosureRisk.MINIMUM_K, "2");
        risk.setProperty(AssessDisclosureRisk.RISK_ACTION, AssessDisclosureRisk.RiskAction.SUPPRESS.getValue());
        flow.runners.put("AssessDisclosureRisk", risk);
        final TestRunner lineage = TestRunners.newTestRunner(EmitLineage.class);
        lineage.setProperty(EmitLineage.CHAIN_ID, "node-1");
        flow.runners.put("EmitLineage", lineage);

        final Map<String, String> use = use();
        final Input raw = new Input(records(format).getBytes(StandardCharsets.UTF_8), Map.of(PublicDataAttributes.DATASET, DATASET));
        flow.inputs.put("ClassifyRecord", raw);
        final MockFlowFile graded = only(flow, "ClassifyRecord", raw, ClassifyRecord.REL_SUCCESS);
        final Map<String, String> gradedUse = new HashMap<>(graded.getAttributes());
        gradedUse.putAll(use);
        final Input classified = new Input(graded.toByteArray(), gradedUse);
        flow.inputs.put("EnforceGrantScope", classified);
        final Map<String, String> withRequest = new HashMap<>(graded.getAttributes());
        withRequest.put(PublicDataAttributes.USE_REQUEST, signedRequest(UUID_LIKE));
        flow.inputs.put("EnforceGrantScope (signed use requests)", new Input(graded.toByteArray(), withRequest));
        // EnforceGrantScope passes the permitted fields on; ProtectRecord is also used on its own, so it gets every field
        only(flow, "EnforceGrantScope", classified, EnforceGrantScope.REL_AUTHORIZED);
        flow.inputs.put("ProtectRecord", classified);
        final MockFlowFile protectedOut = only(flow, "ProtectRecord", classified, ProtectRecord.REL_SUCCESS);
        final Input encrypted = new Input(protectedOut.toByteArray(), protectedOut.getAttributes());
        flow.inputs.put("DecryptRecord", encrypted);
        flow.inputs.put("AssessDisclosureRisk", encrypted);
        flow.inputs.put("EmitLineage", encrypted);
        for (final Record record : read(flow, "ProtectRecord", classified.content(), classified.attributes())) {
            final Map<String, String> plain = new HashMap<>();
            for (final String path : TOLD.keySet()) {
                final Object value = valueAt(record, path);
                if (value != null) {
                    plain.put(path, value.toString());
                }
            }
            flow.plaintexts.put(String.valueOf(record.getValue("id")), plain);
        }
        for (final TestRunner runner : flow.runners.values()) {
            runner.clearProvenanceEvents();
        }
        return flow;
    }

    private static final String UUID_LIKE = "req-0001";

    private static Map<String, Object> told(final Format format) {
        final Map<String, Object> told = new HashMap<>(TOLD);
        if (format == Format.CSV) {
            told.remove("/contact/phone");
        }
        return told;
    }

    private static String records(final Format format) {
        if (format == Format.CSV) {
            return "id,name,idCard,mobile,district,note\n"
                    + "1,张三," + ID1 + "," + MOBILE1 + ",朝阳区,\"" + TOKEN + ", 材料齐全\"\n"
                    + "2,李四," + ID2 + "," + MOBILE2 + ",朝阳区,无\n"
                    + "3,,,,海淀区,无\n";
        }
        return "[{\"id\": 1, \"name\": \"张三\", \"idCard\": \"" + ID1 + "\", \"mobile\": \"" + MOBILE1 + "\", \"district\": \"朝阳区\", "
                + "\"note\": \"" + TOKEN + " 材料齐全\", \"contact\": {\"relation\": \"母亲\", \"phone\": \"" + PHONE + "\"}, \"tags\": [\"低保\", \"" + TAG + "\"]},\n"
                + " {\"id\": 2, \"name\": \"李四\", \"idCard\": \"" + ID2 + "\", \"mobile\": \"" + MOBILE2 + "\", \"district\": \"朝阳区\", "
                + "\"note\": \"无\", \"contact\": {\"relation\": \"父亲\", \"phone\": null}, \"tags\": []},\n"
                + " {\"id\": 3, \"name\": null, \"idCard\": null, \"mobile\": null, \"district\": \"海淀区\", \"note\": \"无\", \"contact\": null, "
                + "\"tags\": null}]";
    }

    private static Map<String, String> use() {
        return Map.of(PublicDataAttributes.USE_GRANTEE, GRANTEE, PublicDataAttributes.USE_DOMAIN, "民政",
                PublicDataAttributes.USE_PURPOSE, "救助审核", PublicDataAttributes.DATASET, DATASET);
    }

    private static String signedRequest(final String id) {
        final OffsetDateTime now = OffsetDateTime.now();
        final ObjectNode request = UseRequestDocument.toJson(new UseRequest(id, "GR-2025-0001", GRANTEE, List.of(DATASET), "救助审核", "公共治理",
                "民政", null, List.of(), now.minusMinutes(1), now.plusMinutes(30)));
        try {
            return new String(UseRequestDocument.sign(request, granteeKeys.getPrivate(), granteeKeys.getPublic()), StandardCharsets.UTF_8);
        } catch (final java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestRunner enforce(final Format format, final boolean signedRequests) throws Exception {
        final TestRunner runner = io(TestRunners.newTestRunner(EnforceGrantScope.class), format);
        RecordTestSupport.grantInProperties(runner, GRANTEE, String.join(", ", PERMITTED.stream().map(name -> name.equals("contact") ? "/contact/**" : "/" + name).toList()));
        runner.setProperty(GrantProperties.DATASETS, DATASET);
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L2");
        if (signedRequests) {
            runner.setProperty(GrantProperties.PRICING, "PUBLIC_WELFARE");
            runner.setProperty(GrantProperties.GRANTEE_KEYS, PemKeys.writePublicKey(granteeKeys.getPublic()));
            runner.setProperty(UseContextProperties.USE_CONTEXT_SOURCE, UseContextFrom.SIGNED_USE_REQUEST);
        }
        return runner;
    }

    private static TestRunner io(final TestRunner runner, final Format format) throws InitializationException {
        if (format == Format.JSON) {
            RecordTestSupport.useJson(runner);
        } else {
            RecordTestSupport.useCsv(runner);
        }
        return runner;
    }

    private static TestRunner keyed(final TestRunner runner, final org.apache.nifi.components.PropertyDescriptor property) throws InitializationException {
        RecordTestSupport.useKeys(runner, property, "k1", "k1", KEY, "k2", KEY2, "p1", PSEUDONYM_KEY);
        return runner;
    }

    private static MockFlowFile only(final Flow flow, final String processor, final Input input, final Relationship relationship) {
        final TestRunner runner = run(flow, processor, input.content(), input.attributes());
        final List<MockFlowFile> out = runner.getFlowFilesForRelationship(relationship);
        assertEquals(1, out.size(), () -> processor + " of the valid " + flow.format + " flow: " + outputs(runner));
        return out.getFirst();
    }

    // ---- the property --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Format.class)
    void classifyRecordLosesNothing(final Format format) {
        check(format, "ClassifyRecord", 20261126L);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void enforceGrantScopeLosesNothing(final Format format) {
        check(format, "EnforceGrantScope", 20261127L);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void enforceGrantScopeWithSignedRequestsLosesNothing(final Format format) {
        check(format, "EnforceGrantScope (signed use requests)", 20261128L);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void protectRecordLosesNothing(final Format format) {
        check(format, "ProtectRecord", 20261129L);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decryptRecordLosesNothing(final Format format) {
        check(format, "DecryptRecord", 20261130L);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void assessDisclosureRiskLosesNothing(final Format format) {
        check(format, "AssessDisclosureRisk", 20261201L);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void emitLineageLosesNothing(final Format format) {
        check(format, "EmitLineage", 20261202L);
    }

    private static void check(final Format format, final String processor, final long seed) {
        final Flow flow = FLOWS.get(format);
        // A case is one long: shrinking it gives another case, not a smaller one, so few shrink cycles are spent
        qt().withFixedSeed(seed + format.ordinal()).withExamples(TRIES).withShrinkCycles(SHRINK_CYCLES)
                .forAll(longs().all().map(s -> hostile(flow, processor, s)))
                .checkAssert(hostile -> holds(flow, processor, hostile));
    }

    /** The invariant for one hostile FlowFile. */
    static void holds(final Flow flow, final String processor, final Hostile hostile) {
        final TestRunner runner;
        try {
            runner = run(flow, processor, hostile.content(), hostile.attributes());
        } catch (final AssertionError e) {
            throw new AssertionError(processor + " let an exception escape onTrigger or dropped a FlowFile on " + hostile, e);
        }
        assertTrue(runner.isQueueEmpty(), () -> processor + " left the input in its queue: " + hostile);
        final Map<String, List<MockFlowFile>> out = new LinkedHashMap<>();
        for (final Relationship relationship : runner.getProcessor().getRelationships()) {
            final List<MockFlowFile> flowFiles = runner.getFlowFilesForRelationship(relationship);
            if (!flowFiles.isEmpty()) {
                out.put(relationship.getName(), flowFiles);
            }
        }
        final String seen = processor + " on " + hostile + " gave " + outputs(runner);
        if (Boolean.getBoolean("badinput.stats")) {
            System.out.println("STAT " + flow.format + " " + processor + " " + out.keySet() + " " + hostile.how().replaceAll("[0-9]+", "N").replaceAll("(=|named|to|is|at) .*", "$1 ..")
                    + " REASON " + out.values().stream().flatMap(List::stream).map(f -> f.getAttribute(PublicDataAttributes.DENY_REASON)).toList());
        }
        final List<MockFlowFile> failed = out.getOrDefault("failure", List.of());
        if (!failed.isEmpty()) {
            assertEquals(1, out.size(), () -> "a failed FlowFile goes to failure alone: " + seen);
            assertEquals(1, failed.size(), () -> "one FlowFile in, one out: " + seen);
            refusedWhole(failed.getFirst(), hostile, PublicDataAttributes.RECORD_ERROR_MESSAGE, seen);
            return;
        }
        switch (processor) {
            case "ClassifyRecord" -> classified(flow, processor, hostile, out, seen);
            case "EnforceGrantScope", "EnforceGrantScope (signed use requests)" -> enforced(flow, processor, hostile, out, seen);
            case "ProtectRecord" -> protectedOk(flow, processor, hostile, out, seen);
            case "DecryptRecord" -> decrypted(flow, processor, hostile, out, seen);
            case "AssessDisclosureRisk" -> assessed(flow, processor, hostile, out, seen);
            case "EmitLineage" -> lineaged(hostile, out, seen);
            default -> fail(processor);
        }
    }

    /** The input itself, unchanged, with a reason that says why and quotes nothing of it. */
    private static void refusedWhole(final MockFlowFile flowFile, final Hostile hostile, final String reasonAttribute, final String seen) {
        assertArrayEquals(hostile.content(), flowFile.toByteArray(), () -> "content changed: " + seen);
        final String reason = flowFile.getAttribute(reasonAttribute);
        assertNotNull(reason, () -> reasonAttribute + " missing: " + seen);
        assertFalse(reason.isBlank(), () -> reasonAttribute + " empty: " + seen);
        final String normalised = NothingIdentifiableLeavesProperties.normalised(reason);
        for (final String planted : plantedInContent(hostile)) {
            assertFalse(reason.contains(planted) || normalised.contains(NothingIdentifiableLeavesProperties.normalised(planted)),
                    () -> "the reason quotes the planted " + planted + ": " + seen);
        }
        for (final Map.Entry<String, String> attribute : flowFile.getAttributes().entrySet()) {
            if (!attribute.getValue().equals(hostile.attributes().get(attribute.getKey()))) {
                for (final String planted : plantedInContent(hostile)) {
                    assertFalse(attribute.getValue().contains(planted), () -> "attribute " + attribute.getKey() + " quotes " + planted + ": " + seen);
                }
            }
        }
    }

    /**
     * The planted values a reason must never quote: those of the content. A value the case put into an attribute itself
     * (e.g. as the grantee of the use) may be named back in the denial of that use.
     */
    private static List<String> plantedInContent(final Hostile hostile) {
        return PLANTED.stream().filter(planted -> hostile.attributes().values().stream().noneMatch(value -> value.contains(planted))).toList();
    }

    private static void classified(final Flow flow, final String processor, final Hostile hostile, final Map<String, List<MockFlowFile>> out,
                                   final String seen) {
        final MockFlowFile success = single(out, "success", seen);
        final List<Record> in = readInput(flow, processor, hostile, seen);
        final List<Record> records = read(flow, processor, success.toByteArray(), success.getAttributes());
        assertEquals(in.size(), records.size(), () -> "records lost or added: " + seen);
        assertEquals(String.valueOf(in.size()), success.getAttribute(PublicDataAttributes.RECORD_COUNT), () -> seen);
        if (!records.isEmpty()) {
            assertTrue(LADDER.contains(success.getAttribute(PublicDataAttributes.GRADE)), () -> "publicdata.grade off the ladder: " + seen);
        }
        for (final Record record : records) {
            assertTrue(LADDER.contains(String.valueOf(record.getValue("_grade"))), () -> "a record without a grade: " + seen);
        }
        if (flow.format == Format.CSV) {
            // ClassifyRecord changes no value: every cell of every row comes out in the same row (trimmed: the reader's Trim Fields)
            final List<List<String>> rowsIn = csvRows(hostile.content());
            final List<List<String>> rowsOut = csvRows(success.toByteArray());
            if (rowsIn != null && rowsOut != null && rowsIn.size() == rowsOut.size()) {
                for (int i = 1; i < rowsIn.size(); i++) {
                    final int row = i;
                    for (final String cell : rowsIn.get(i)) {
                        assertTrue(cell.trim().isEmpty() || rowsOut.get(i).contains(cell.trim()), () -> "row " + row + " lost a value: " + seen);
                    }
                }
            }
        }
    }

    /** The rows of CSV text, header first, as Apache Commons CSV reads them; null when it cannot. */
    private static List<List<String>> csvRows(final byte[] content) {
        try (org.apache.commons.csv.CSVParser parser = org.apache.commons.csv.CSVFormat.DEFAULT.parse(
                new java.io.InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.UTF_8))) {
            final List<List<String>> rows = new ArrayList<>();
            parser.forEach(row -> rows.add(row.toList()));
            return rows;
        } catch (final java.io.IOException | java.io.UncheckedIOException | IllegalStateException e) {
            return null;
        }
    }

    private static void enforced(final Flow flow, final String processor, final Hostile hostile, final Map<String, List<MockFlowFile>> out,
                                 final String seen) {
        assertTrue(Set.of("authorized", "unauthorized").containsAll(out.keySet()), () -> seen);
        final List<MockFlowFile> authorized = out.getOrDefault("authorized", List.of());
        final List<MockFlowFile> unauthorized = out.getOrDefault("unauthorized", List.of());
        assertTrue(authorized.size() <= 1 && unauthorized.size() <= 1, () -> "one FlowFile per side: " + seen);
        if (authorized.isEmpty()) {
            // The use or every record was refused: the input, whole
            refusedWhole(single(out, "unauthorized", seen), hostile, PublicDataAttributes.DENY_REASON, seen);
            return;
        }
        final List<Record> in = readInput(flow, processor, hostile, seen);
        final MockFlowFile permitted = authorized.getFirst();
        assertEquals("PERMIT", permitted.getAttribute(PublicDataAttributes.DECISION), () -> seen);
        final List<Record> passed = read(flow, processor, permitted.toByteArray(), permitted.getAttributes());
        int total = passed.size();
        for (final Record record : passed) {
            for (final String name : record.getRawFieldNames()) {
                assertTrue(PERMITTED.contains(name) || record.getValue(name) == null, () -> "field " + name + " outside the grant passed: " + seen);
            }
            final Object grade = record.getValue("_grade");
            assertTrue(Set.of("L1", "L2").contains(String.valueOf(grade)), () -> "a record above the grant's grade passed: " + seen);
        }
        if (!unauthorized.isEmpty()) {
            final MockFlowFile denied = unauthorized.getFirst();
            assertFalse(String.valueOf(denied.getAttribute(PublicDataAttributes.DENY_REASON)).isBlank(), () -> "a denial without a reason: " + seen);
            total += read(flow, processor, denied.toByteArray(), denied.getAttributes()).size();
        }
        final int expected = in.size();
        assertEquals(expected, total, () -> "records lost or added in the split: " + seen);
    }

    private static void protectedOk(final Flow flow, final String processor, final Hostile hostile, final Map<String, List<MockFlowFile>> out,
                                    final String seen) {
        final MockFlowFile success = single(out, "success", seen);
        final List<Record> in = readInput(flow, processor, hostile, seen);
        final List<Record> records = read(flow, processor, success.toByteArray(), success.getAttributes());
        assertEquals(in.size(), records.size(), () -> "records lost or added: " + seen);
        for (final Record record : records) {
            for (final Map.Entry<String, Object> told : told(flow.format).entrySet()) {
                for (final Object leaf : leaves(valueAt(record, told.getKey()))) {
                    final boolean ok = "REDACT".equals(told.getValue()) ? leaf == null : leaf == null || FieldCipher.isCiphertext(leaf.toString());
                    assertTrue(ok, () -> told.getKey() + " left " + told.getValue() + "-less as '" + leaf + "': " + seen);
                }
            }
        }
        // The attributes ProtectRecord set hold no identifier (those the input brought are not its doing)
        final StringBuilder written = new StringBuilder();
        success.getAttributes().forEach((name, value) -> {
            if (!value.equals(hostile.attributes().get(name))) {
                written.append('\n').append(value);
            }
        });
        final String attributes = NothingIdentifiableLeavesProperties.normalised(written.toString());
        for (final String planted : List.of(ID1, ID2, MOBILE1, MOBILE2, PHONE)) {
            assertFalse(attributes.contains(NothingIdentifiableLeavesProperties.normalised(planted)), () -> planted + " in an attribute: " + seen);
        }
        // Nothing encrypted is lost: the holder of the key gets every value back, at its place
        final TestRunner decrypt = run(flow, "DecryptRecord", success.toByteArray(), success.getAttributes());
        final List<MockFlowFile> back = decrypt.getFlowFilesForRelationship(DecryptRecord.REL_SUCCESS);
        assertEquals(1, back.size(), () -> "what ProtectRecord encrypted does not decrypt:" + outputs(decrypt) + "\n" + seen);
        final List<Record> decrypted = read(flow, "DecryptRecord", back.getFirst().toByteArray(), back.getFirst().getAttributes());
        for (int i = 0; i < in.size(); i++) {
            final int index = i;
            for (final Map.Entry<String, Object> told : told(flow.format).entrySet()) {
                if ("ENCRYPT".equals(told.getValue())) {
                    final Object original = valueAt(in.get(i), told.getKey());
                    final List<Object> before = leaves(original);
                    final List<Object> after = leaves(valueAt(decrypted.get(i), told.getKey()));
                    if ((original instanceof Record || original instanceof Object[] || original instanceof Map || original instanceof List) && after.size() == 1
                            && after.getFirst() instanceof String json && (json.startsWith("{") || json.startsWith("["))) {
                        // A record, array or map is encrypted as its JSON text, and comes back as that text
                        before.forEach(leaf -> assertTrue(json.contains(String.valueOf(leaf)), () -> told.getKey() + " of record " + (index + 1)
                                + " came back without " + leaf + ": " + seen));
                        continue;
                    }
                    assertEquals(before.size(), after.size(), () -> told.getKey() + " of record " + (index + 1) + " lost values: " + seen);
                    for (int k = 0; k < before.size(); k++) {
                        final String expected = String.valueOf(before.get(k));
                        final String got = String.valueOf(after.get(k));
                        assertTrue(sameValue(expected, got), () -> told.getKey() + " of record " + (index + 1) + " came back as " + got + ", not "
                                + expected + ": " + seen);
                    }
                }
            }
        }
    }

    private static void decrypted(final Flow flow, final String processor, final Hostile hostile, final Map<String, List<MockFlowFile>> out,
                                  final String seen) {
        final MockFlowFile success = single(out, "success", seen);
        final List<Record> in = readInput(flow, processor, hostile, seen);
        final List<Record> records = read(flow, processor, success.toByteArray(), success.getAttributes());
        assertEquals(in.size(), records.size(), () -> "records lost or added: " + seen);
        for (int i = 0; i < records.size(); i++) {
            final int index = i;
            for (final String path : told(flow.format).keySet()) {
                final List<String> after = leaves(valueAt(records.get(i), path)).stream().map(String::valueOf).toList();
                final List<String> before = leaves(valueAt(in.get(i), path)).stream().map(String::valueOf).toList();
                assertEquals(before.size(), after.size(), () -> path + " of record " + (index + 1) + " changed shape: " + seen);
                for (int k = 0; k < after.size(); k++) {
                    if (!after.get(k).equals(before.get(k))) {
                        // Decrypted: only to the value encrypted at this very place (field, and record by its key)
                        final String expected = flow.plaintexts.getOrDefault(String.valueOf(records.get(i).getValue("id")), Map.of()).get(path);
                        final String got = after.get(k);
                        assertTrue(expected != null && sameValue(expected, got),
                                () -> path + " of record " + (index + 1) + " decrypted to a value not encrypted there (" + got + "): " + seen);
                    }
                }
            }
        }
    }

    /**
     * Whether a value read back is the one written: the same text, or, where the field's inferred type is a choice of
     * string and number (a hostile record made it so), the same number: NiFi's writers write such a value as a number,
     * as ConvertRecord would.
     */
    private static boolean sameValue(final String expected, final String got) {
        if (expected.equals(got)) {
            return true;
        }
        try {
            return new java.math.BigDecimal(expected).compareTo(new java.math.BigDecimal(got)) == 0;
        } catch (final NumberFormatException e) {
            return false;
        }
    }

    private static void assessed(final Flow flow, final String processor, final Hostile hostile, final Map<String, List<MockFlowFile>> out,
                                 final String seen) {
        assertTrue(Set.of("acceptable", "risky").containsAll(out.keySet()), () -> seen);
        final List<MockFlowFile> all = out.values().stream().flatMap(List::stream).toList();
        assertTrue(all.size() <= 2 && out.values().stream().allMatch(l -> l.size() == 1), () -> "one FlowFile per side: " + seen);
        final List<Record> in = readInput(flow, processor, hostile, seen);
        if (all.size() == 1 && Arrays.equals(all.getFirst().toByteArray(), hostile.content())) {
            assertNotNull(all.getFirst().getAttribute(PublicDataAttributes.RISK_K), () -> seen);
            return;
        }
        final Map<String, Integer> classes = new HashMap<>();
        in.forEach(record -> classes.merge(String.valueOf(record.getValue("district")), 1, Integer::sum));
        int total = 0;
        for (final Map.Entry<String, List<MockFlowFile>> side : out.entrySet()) {
            final List<Record> records = read(flow, processor, side.getValue().getFirst().toByteArray(), side.getValue().getFirst().getAttributes());
            total += records.size();
            if (side.getKey().equals("acceptable")) {
                for (final Record record : records) {
                    assertTrue(classes.getOrDefault(String.valueOf(record.getValue("district")), 0) >= 2, () -> "a risky record passed as acceptable: " + seen);
                }
            }
        }
        final int expected = in.size();
        assertEquals(expected, total, () -> "records lost or added in the split: " + seen);
    }

    private static void lineaged(final Hostile hostile, final Map<String, List<MockFlowFile>> out, final String seen) {
        assertTrue(Set.of("success", "unauthorized", "lineage").containsAll(out.keySet()), () -> seen);
        final boolean denied = "DENY".equals(hostile.attributes().get(PublicDataAttributes.DECISION));
        final MockFlowFile data = single(out, denied ? "unauthorized" : "success", seen);
        assertEquals(2, out.size(), () -> "the data and its event: " + seen);
        assertArrayEquals(hostile.content(), data.toByteArray(), () -> "EmitLineage changed the data: " + seen);
        assertEquals(1, out.get("lineage").size(), () -> "one event: " + seen);
        final MockFlowFile event = out.get("lineage").getFirst();
        try {
            final JsonNode json = MAPPER.readTree(event.toByteArray());
            assertTrue(json.isObject(), () -> seen);
        } catch (final java.io.IOException e) {
            fail("the lineage event is no JSON: " + seen);
        }
        assertEquals(event.getAttribute(PublicDataAttributes.LINEAGE_HASH), data.getAttribute(PublicDataAttributes.LINEAGE_HASH), () -> seen);
    }

    private static MockFlowFile single(final Map<String, List<MockFlowFile>> out, final String relationship, final String seen) {
        final List<MockFlowFile> flowFiles = out.getOrDefault(relationship, List.of());
        assertEquals(1, flowFiles.size(), () -> "exactly one FlowFile on " + relationship + ": " + seen);
        final long others = out.entrySet().stream().filter(e -> !e.getKey().equals(relationship) && !e.getKey().equals("lineage"))
                .mapToLong(e -> e.getValue().size()).sum();
        assertEquals(0, others, () -> "nothing besides " + relationship + ": " + seen);
        return flowFiles.getFirst();
    }

    /**
     * The input's records as the processor's own reader reads them; success on input it cannot read is a failure of the
     * property. For JSON, also what the content holds by the JSON grammar itself: each element of a top-level array, each
     * top-level object. Every one of them must be read as a record: a processor that passes a FlowFile on with fewer
     * records (an element that is no object skipped, text after the records ignored) lost them.
     */
    private static List<Record> readInput(final Flow flow, final String processor, final Hostile hostile, final String seen) {
        final List<Record> records;
        try {
            records = read(flow, processor, hostile.content(), hostile.attributes());
        } catch (final RuntimeException | AssertionError e) {
            throw new AssertionError("passed input its own reader cannot read: " + seen, e);
        }
        if (flow.format == Format.JSON) {
            final int held;
            try {
                held = jsonElements(hostile.content());
            } catch (final java.io.IOException e) {
                throw new AssertionError("passed content that is not JSON (" + e.getClass().getSimpleName() + "): " + seen);
            }
            assertEquals(held, records.size(), () -> "the content holds " + held + " records by the JSON grammar, but " + records.size() + " were read: " + seen);
        }
        return records;
    }

    /**
     * What JSON content holds where records should be: each value at the top level or inside top-level arrays (arrays
     * there are flattened, as NiFi's readers read them), object or not; IOException when the text is not a sequence of
     * JSON values. Content that does not open with an array or an object is no record set: a bare value holds no record.
     */
    private static int jsonElements(final byte[] content) throws java.io.IOException {
        final String text = new String(content, StandardCharsets.UTF_8).replace("\ufeff", "").strip();
        if (!text.startsWith("[") && !text.startsWith("{")) {
            MAPPER.readTree(text);
            return 0;
        }
        int elements = 0;
        try (com.fasterxml.jackson.core.JsonParser parser = MAPPER.getFactory().createParser(content)) {
            com.fasterxml.jackson.core.JsonToken token;
            int arrays = 0;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case START_ARRAY -> arrays++;
                    case END_ARRAY -> arrays--;
                    default -> {
                        parser.skipChildren();
                        elements++;
                    }
                }
            }
            if (arrays != 0) {
                throw new java.io.EOFException("unterminated array");
            }
        }
        return elements;
    }

    /** Records as the runner's reader reads them, refusing values outside the schema. */
    static List<Record> read(final Flow flow, final String processor, final byte[] content, final Map<String, String> attributes) {
        final TestRunner runner = flow.runners.get(processor);
        final RecordReaderFactory factory = (RecordReaderFactory) runner.getControllerService(RecordTestSupport.READER);
        final List<Record> records = new ArrayList<>();
        try (RecordReader reader = factory.createRecordReader(attributes, new ByteArrayInputStream(content), content.length, runner.getLogger())) {
            Record record;
            while ((record = reader.nextRecord(true, false)) != null) {
                records.add(record);
            }
        } catch (final Exception e) {
            throw new IllegalStateException("unreadable: " + e, e);
        }
        return records;
    }

    /** The value at a names-only path; null where there is none (also where a hostile record holds a scalar above it). */
    private static Object valueAt(final Record record, final String path) {
        try {
            return RecordWalker.valueAt(record, FieldPath.parse(path));
        } catch (final IllegalArgumentException e) {
            return null;
        }
    }

    /** The scalars in a value: itself, or what a record, array or map holds. */
    private static List<Object> leaves(final Object value) {
        final List<Object> leaves = new ArrayList<>();
        switch (value) {
            case null -> {
            }
            case Record record -> record.getRawFieldNames().forEach(name -> leaves.addAll(leaves(record.getValue(name))));
            case Object[] array -> Arrays.stream(array).forEach(element -> leaves.addAll(leaves(element)));
            case List<?> list -> list.forEach(element -> leaves.addAll(leaves(element)));
            case Map<?, ?> map -> map.values().forEach(element -> leaves.addAll(leaves(element)));
            default -> leaves.add(value);
        }
        return leaves;
    }

    private static TestRunner run(final Flow flow, final String processor, final byte[] content, final Map<String, String> attributes) {
        final TestRunner runner = flow.runners.get(processor);
        runner.clearTransferState();
        runner.clearProvenanceEvents();
        runner.enqueue(content, attributes);
        runner.run(1, false, flow.scheduled.add(runner));
        return runner;
    }

    private static String outputs(final TestRunner runner) {
        final StringBuilder text = new StringBuilder();
        for (final Relationship relationship : runner.getProcessor().getRelationships()) {
            for (final MockFlowFile flowFile : runner.getFlowFilesForRelationship(relationship)) {
                final String content = new String(flowFile.toByteArray(), StandardCharsets.UTF_8);
                text.append("\n  ").append(relationship.getName()).append(": ")
                        .append(flowFile.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE) != null
                                ? "record.error.message=" + flowFile.getAttribute(PublicDataAttributes.RECORD_ERROR_MESSAGE) + " " : "")
                        .append(flowFile.getAttribute(PublicDataAttributes.DENY_REASON) != null
                                ? "deny.reason=" + flowFile.getAttribute(PublicDataAttributes.DENY_REASON) + " " : "")
                        .append(content.length() > 400 ? content.substring(0, 400) + "..." : content);
            }
        }
        return text.toString();
    }

    // ---- hostile FlowFiles -------------------------------------------------------------------------------------------

    /** One hostile FlowFile for the processor, all of it decided by one generated number. */
    static Hostile hostile(final Flow flow, final String processor, final long seed) {
        final Random random = new Random(seed);
        final Input valid = flow.inputs.get(processor);
        byte[] content = valid.content();
        final Map<String, String> attributes = new HashMap<>(valid.attributes());
        final List<String> how = new ArrayList<>();
        if (attributes.containsKey(PublicDataAttributes.USE_REQUEST)) {
            // A request is good for one use: each FlowFile gets its own, or the second would be refused as a replay
            attributes.put(PublicDataAttributes.USE_REQUEST, signedRequest("req-" + Long.toHexString(seed)));
        }
        final int kind = random.nextInt(10);
        if (kind < 5 || kind == 9) {
            content = mutateContent(flow.format, content, random, how);
        }
        if (kind >= 5) {
            mutateAttributes(processor, attributes, random, how);
        }
        if (processor.equals("DecryptRecord") && (kind == 4 || kind == 8 || random.nextInt(4) == 0)) {
            content = mutateCiphertexts(valid.content(), random, how);
        }
        return new Hostile(String.join("; ", how), content, attributes);
    }

    private static byte[] mutateContent(final Format format, final byte[] content, final Random random, final List<String> how) {
        final int choice = random.nextInt(format == Format.JSON ? 20 : 18);
        final String text = new String(content, StandardCharsets.UTF_8);
        switch (choice) {
            case 0 -> {
                final int at = random.nextInt(content.length);
                how.add("cut at byte " + at);
                return Arrays.copyOf(content, at);
            }
            case 1 -> {
                final int at = random.nextInt(content.length);
                final byte[] flipped = content.clone();
                flipped[at] ^= (byte) (1 + random.nextInt(255));
                how.add("byte " + at + " flipped");
                return flipped;
            }
            case 2 -> {
                final int at = random.nextInt(content.length + 1);
                final byte inserted = (byte) random.nextInt(256);
                how.add("byte " + (inserted & 0xff) + " inserted at " + at);
                return insert(content, at, new byte[] {inserted});
            }
            case 3 -> {
                final int at = random.nextInt(content.length);
                how.add("byte " + at + " deleted");
                final byte[] out = new byte[content.length - 1];
                System.arraycopy(content, 0, out, 0, at);
                System.arraycopy(content, at + 1, out, at, content.length - at - 1);
                return out;
            }
            case 4 -> {
                final byte[][] invalid = {{(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0x80},
                    {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
                final byte[] bad = invalid[random.nextInt(invalid.length)];
                final int at = text.substring(0, insideAValue(text, random)).getBytes(StandardCharsets.UTF_8).length;
                how.add("invalid UTF-8 " + java.util.HexFormat.of().formatHex(bad) + " at byte " + at);
                return insert(content, at, bad);
            }
            case 5 -> {
                how.add("a byte order mark");
                return insert(content, 0, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
            }
            case 6 -> {
                final int at = random.nextInt(content.length + 1);
                how.add("NUL at " + at);
                return insert(content, at, new byte[] {0});
            }
            case 7 -> {
                how.add("empty content");
                return new byte[0];
            }
            case 8 -> {
                how.add("whitespace only");
                return " \n\t\r\n".getBytes(StandardCharsets.UTF_8);
            }
            case 9 -> {
                how.add("content twice");
                return (text + text).getBytes(StandardCharsets.UTF_8);
            }
            case 10 -> {
                how.add("CRLF line ends");
                return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
            }
            case 11 -> {
                // An unterminated string or quote: one quote character removed, or one added
                final List<Integer> quotes = indexesOf(text, '"');
                if (quotes.isEmpty() || random.nextBoolean()) {
                    final int at = insideAValue(text, random);
                    how.add("a lone quote at char " + at);
                    return (text.substring(0, at) + "\"" + text.substring(at)).getBytes(StandardCharsets.UTF_8);
                }
                final int at = quotes.get(random.nextInt(quotes.size()));
                how.add("quote at char " + at + " removed");
                return (text.substring(0, at) + text.substring(at + 1)).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                return format == Format.JSON ? mutateJson(text, random, how) : mutateCsv(text, random, how);
            }
        }
    }

    private static byte[] mutateJson(final String text, final Random random, final List<String> how) {
        final JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (final java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        final ArrayNode records = (ArrayNode) root.deepCopy();
        final int index = random.nextInt(records.size());
        final ObjectNode record = (ObjectNode) records.get(index);
        final List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        final String name = names.get(random.nextInt(names.size()));
        final JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (random.nextInt(9)) {
            case 8 -> {
                // The record's key (ProtectRecord's and DecryptRecord's Record Key Field) is no single value
                final JsonNode[] containers = {nodes.arrayNode().add(7), nodes.objectNode().put("n", 7), nodes.arrayNode().add(nodes.arrayNode().add(MOBILE1)),
                    nodes.arrayNode(), nodes.objectNode()};
                final JsonNode value = containers[random.nextInt(containers.length)];
                how.add("record " + (index + 1) + " /id = " + value);
                record.set("id", value);
            }
            case 0 -> {
                final JsonNode[] wrong = {nodes.textNode("abc"), nodes.numberNode(42), nodes.numberNode(-3.5), nodes.booleanNode(true), nodes.nullNode(),
                    nodes.arrayNode(), nodes.objectNode(), nodes.arrayNode().add("x").add(nodes.objectNode().put("y", 1)),
                    nodes.objectNode().set("a", nodes.objectNode().put("b", ID1)), nodes.textNode(""), nodes.arrayNode().add(nodes.arrayNode().add(1))};
                final JsonNode value = wrong[random.nextInt(wrong.length)];
                how.add("record " + (index + 1) + " /" + name + " = " + value);
                record.set(name, value);
            }
            case 1 -> {
                final JsonNode[] shapes = {nodes.arrayNode().add(1).add(2), nodes.numberNode(42), nodes.textNode(TOKEN), nodes.nullNode(), nodes.booleanNode(false),
                    nodes.arrayNode(), nodes.arrayNode().add(record.deepCopy())};
                final JsonNode shape = shapes[random.nextInt(shapes.length)];
                how.add("record " + (index + 1) + " is " + shape);
                records.set(index, shape);
            }
            case 2 -> {
                final String[] whole = {"42", "\"" + TOKEN + "\"", "null", "true", "[]", "{}", "[[" + record + "]]", record.toString(),
                    record + "\n" + record, records + " " + TOKEN, records + "]", "[" + records, records + ",{\"id\":4}"};
                final String chosen = whole[random.nextInt(whole.length)];
                how.add("the whole content is " + (chosen.length() > 60 ? chosen.substring(0, 60) + "..." : chosen));
                return chosen.getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                final String[] huge = {"1e400", "-1e400", "123456789012345678901234567890", "1e-400", "9223372036854775808", "-0",
                    "1.7976931348623157E309", "0." + "0".repeat(400) + "1", "1" + "0".repeat(1200), "110105194912310021"};
                final String number = huge[random.nextInt(huge.length)];
                how.add("record " + (index + 1) + " /" + name + " = " + (number.length() > 40 ? number.substring(0, 40) + "..." : number));
                record.put(name, "@@NUMBER@@");
                return records.toString().replace("\"@@NUMBER@@\"", number).getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                final int[] depths = {RecordWalker.MAX_DEPTH - 2, RecordWalker.MAX_DEPTH - 1, RecordWalker.MAX_DEPTH, RecordWalker.MAX_DEPTH + 1,
                    RecordWalker.MAX_DEPTH + 10, 400, 1200};
                final int depth = depths[random.nextInt(depths.length)];
                final boolean arrays = random.nextBoolean();
                how.add("record " + (index + 1) + " /" + name + " nested " + depth + " deep in " + (arrays ? "arrays" : "records"));
                record.put(name, "@@DEEP@@");
                final String open = arrays ? "[" : "{\"a\":";
                final String close = arrays ? "]" : "}";
                final String deep = open.repeat(depth) + "\"" + MOBILE1 + "\"" + close.repeat(depth);
                return records.toString().replace("\"@@DEEP@@\"", deep).getBytes(StandardCharsets.UTF_8);
            }
            case 5 -> {
                how.add("record " + (index + 1) + " has /" + name + " twice");
                final String member = "\"" + name + "\":" + record.get(name) + ",";
                final String written = records.toString();
                final int at = written.indexOf("{", written.indexOf(record.get("id") == null ? "{" : "\"id\":" + record.get("id")) - 8);
                return (written.substring(0, at + 1) + member + written.substring(at + 1)).getBytes(StandardCharsets.UTF_8);
            }
            case 6 -> {
                final String[] names2 = {"", " ", "/", "*", "**", "a/b", "\u0000", "_grade", ID1, "\u202e", "x".repeat(5000)};
                final String odd = names2[random.nextInt(names2.length)];
                how.add("record " + (index + 1) + " gains a member named '" + (odd.length() > 20 ? odd.substring(0, 20) + "..." : odd) + "'");
                record.put(odd, TOKEN);
            }
            default -> {
                how.add("record " + (index + 1) + " loses /" + name);
                record.remove(name);
            }
        }
        return records.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mutateCsv(final String text, final Random random, final List<String> how) {
        final List<String> lines = new ArrayList<>(List.of(text.split("\n")));
        final int row = 1 + random.nextInt(lines.size() - 1);
        switch (random.nextInt(8)) {
            case 0 -> {
                how.add("row " + row + " has an extra column");
                lines.set(row, lines.get(row) + "," + TOKEN);
            }
            case 1 -> {
                how.add("row " + row + " lacks its last column");
                lines.set(row, lines.get(row).substring(0, lines.get(row).lastIndexOf(',')));
            }
            case 2 -> {
                how.add("header only");
                return (lines.getFirst() + "\n").getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                how.add("header only, no line end");
                return lines.getFirst().getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                final String[] header = lines.getFirst().split(",", -1);
                final int column = random.nextInt(header.length);
                final String[] names = {"", "id", " ", "\"", ID1, "x".repeat(3000), "a/b", "*"};
                final String name = names[random.nextInt(names.length)];
                how.add("header column " + (column + 1) + " named '" + (name.length() > 20 ? name.substring(0, 20) + "..." : name) + "'");
                header[column] = name;
                lines.set(0, String.join(",", header));
            }
            case 5 -> {
                how.add("a blank line before row " + row);
                lines.add(row, "");
            }
            case 6 -> {
                final String[] values = {"1e400", "123456789012345678901234567890", "abc", "\"\"\"", "\"a\"b\"", "=cmd()", "\u0000"};
                final String value = values[random.nextInt(values.length)];
                final String[] cells = lines.get(row).split(",", -1);
                final int column = random.nextInt(cells.length);
                how.add("row " + row + " column " + (column + 1) + " = " + value);
                cells[column] = value;
                lines.set(row, String.join(",", cells));
            }
            default -> {
                how.add("row " + row + " has an unterminated quote");
                lines.set(row, lines.get(row).replaceFirst(",", ",\""));
            }
        }
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Ciphertexts with a byte changed, cut, moved to another field or record, the key id or algorithm relabelled. */
    private static byte[] mutateCiphertexts(final byte[] content, final Random random, final List<String> how) {
        final String text = new String(content, StandardCharsets.UTF_8);
        final Matcher matcher = Pattern.compile("pd2:([A-Z0-9]+):([A-Za-z0-9._-]+):([A-Za-z0-9_-]+)").matcher(text);
        final List<int[]> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(new int[] {matcher.start(), matcher.end()});
        }
        assertFalse(found.isEmpty(), "the valid DecryptRecord input holds ciphertexts");
        final int[] one = found.get(random.nextInt(found.size()));
        final String ciphertext = text.substring(one[0], one[1]);
        final String[] parts = ciphertext.split(":", 4);
        final String changed;
        switch (random.nextInt(8)) {
            case 0 -> {
                final int at = random.nextInt(parts[3].length());
                final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                char replacement;
                do {
                    replacement = alphabet.charAt(random.nextInt(alphabet.length()));
                } while (replacement == parts[3].charAt(at));
                how.add("a ciphertext with character " + at + " changed");
                changed = parts[0] + ":" + parts[1] + ":" + parts[2] + ":" + parts[3].substring(0, at) + replacement + parts[3].substring(at + 1);
            }
            case 1 -> {
                final int keep = random.nextInt(parts[3].length());
                how.add("a ciphertext cut to " + keep + " characters");
                changed = parts[0] + ":" + parts[1] + ":" + parts[2] + ":" + parts[3].substring(0, keep);
            }
            case 2 -> {
                final String[] keyIds = {"k2", "k9", "p1", "K1", "k1 ", ""};
                final String keyId = keyIds[random.nextInt(keyIds.length)];
                how.add("a ciphertext relabelled to key '" + keyId + "'");
                changed = parts[0] + ":" + parts[1] + ":" + keyId + ":" + parts[3];
            }
            case 3 -> {
                final String[] algorithms = {"SM4GCM", "A128GCM", "a256gcm", ""};
                final String algorithm = algorithms[random.nextInt(algorithms.length)];
                how.add("a ciphertext relabelled to algorithm '" + algorithm + "'");
                changed = parts[0] + ":" + algorithm + ":" + parts[2] + ":" + parts[3];
            }
            case 4 -> {
                how.add("a ciphertext relabelled as pd1");
                changed = "pd1:" + parts[1] + ":" + parts[2] + ":" + parts[3];
            }
            default -> {
                if (found.size() < 2) {
                    how.add("a ciphertext doubled");
                    changed = ciphertext + ciphertext;
                } else {
                    // Swapped with another: moved to another field, or another record
                    int other;
                    do {
                        other = random.nextInt(found.size());
                    } while (found.get(other) == one);
                    final int[] second = found.get(other);
                    how.add("ciphertexts at chars " + one[0] + " and " + second[0] + " swapped");
                    final int[] first = one[0] < second[0] ? one : second;
                    final int[] last = one[0] < second[0] ? second : one;
                    return (text.substring(0, first[0]) + text.substring(last[0], last[1]) + text.substring(first[1], last[0])
                            + text.substring(first[0], first[1]) + text.substring(last[1])).getBytes(StandardCharsets.UTF_8);
                }
            }
        }
        return (text.substring(0, one[0]) + changed + text.substring(one[1])).getBytes(StandardCharsets.UTF_8);
    }

    /** Attributes the processor reads: missing, empty, malformed, hostile. */
    private static void mutateAttributes(final String processor, final Map<String, String> attributes, final Random random, final List<String> how) {
        final Map<String, List<String>> hostile = new LinkedHashMap<>();
        final List<String> fields = List.of("not json", "{", "[]", "null", "42", "\"L1\"", "{\"/nosuch\": {\"grade\": \"L2\", \"labels\": []}}",
                "{\"/mobile\": {\"grade\": \"L9\"}}", "{\"/mobile\": {\"grade\": \"l3\"}}", "{\"/mobile\": \"L3\"}", "{\"/mobile\": {}}",
                "{\"/mobile\": {\"grade\": null}}", "{\"mobile[\": {\"grade\": \"L3\"}}", "{\"/**\": {\"grade\": \"L1\"}}",
                "{\"/mobile\": {\"grade\": \"L1\"}, \"/idCard\": {\"grade\": \"L1\"}}", "{\"/mobile\": {\"grade\": \"L3\", \"labels\": \"mobile\"}}",
                "[".repeat(2000) + "]".repeat(2000), "{\"a\":".repeat(1500) + "1" + "}".repeat(1500), "{\"/" + ID1 + "\": {\"grade\": \"L3\"}}");
        final List<String> grade = List.of("L9", "l3", "L0", "L3,L1", "ALL", "L", "３", "L3\n", "L1 ");
        final List<String> garbled = List.of("\u0000", "\uFFFD\uFFFD", "民政\u202e", "x".repeat(70_000), "${literal('x')}", "null", "%s%n", "\"", ID1);
        final List<String> protectedList = List.of("not json", "[]", "{\"/x\": 5}", "{\"/mobile\": {\"method\": \"FPE\"}}",
                "{\"/mobile\": {\"methods\": [\"FPE\"], \"keyId\": \"nokey\"}}", "{\"/mobile\": {\"methods\": [\"FPE\"], \"keyId\": \"k1\", \"version\": 99}}",
                "{\"[bad\": \"ENCRYPT\"}", "{\"/mobile\": \"FPE\"}", "{\"/mobile\": {\"methods\": [\"FPE\"], \"keyId\": \"k1\"}}", "{\"/mobile\": \"ROT13\"}",
                "{\"/note\": " + TOKEN + "}", "{\"a\":".repeat(1500) + "1" + "}".repeat(1500));
        final List<String> counts = List.of("-1", "abc", "99999999999999999999", "", "1e3", "3 ");
        switch (processor) {
            case "ClassifyRecord" -> hostile.put(PublicDataAttributes.DATASET, List.of("GOV-OTHER", " " + DATASET + " ", DATASET + "\n", ID1));
            case "EnforceGrantScope" -> {
                hostile.put(PublicDataAttributes.USE_GRANTEE, garbled);
                hostile.put(PublicDataAttributes.USE_DOMAIN, List.of("教育", "民政 ", "民政,教育", "*"));
                hostile.put(PublicDataAttributes.USE_PURPOSE, List.of("商业营销", "救助审核 ", "*", ".*"));
                hostile.put(PublicDataAttributes.USE_SCENARIO, List.of("*", "x"));
                hostile.put(PublicDataAttributes.USE_PURPOSE_CATEGORY, List.of("公共治理", "x", "*"));
                hostile.put(PublicDataAttributes.DATASET, List.of("GOV-OTHER", " " + DATASET + " ", DATASET + ",GOV-OTHER", "*", "GOV-CIVIL-00"));
                hostile.put(PublicDataAttributes.GRADE, grade);
                hostile.put(PublicDataAttributes.FIELDS, fields);
                hostile.put(PublicDataAttributes.RECORD_COUNT, counts);
            }
            case "EnforceGrantScope (signed use requests)" -> {
                final String request = attributes.get(PublicDataAttributes.USE_REQUEST);
                final List<String> requests = new ArrayList<>(List.of("not json", "{}", "[]", request.substring(0, request.length() / 2),
                        request.replace("\"" + DATASET + "\"", "\"GOV-OTHER\""), request.replace("救助审核", "商业营销"),
                        request.replaceFirst("\"signature\"\\s*:\\s*\"[^\"]*\"", "\"signature\": \"\""),
                        request.replace(GRANTEE, "91440300MA5XXXXX0X"), request + " ", request + "x", request.replace("\"" + GRANTEE + "\"", "\"" + GRANTEE.toLowerCase(java.util.Locale.ROOT) + "\"")));
                final int at = request.length() / 3 + random.nextInt(request.length() / 3);
                requests.add(request.substring(0, at) + (char) (request.charAt(at) ^ 1) + request.substring(at + 1));
                hostile.put(PublicDataAttributes.USE_REQUEST, requests);
                hostile.put(PublicDataAttributes.DATASET, List.of("GOV-OTHER", "*"));
                hostile.put(PublicDataAttributes.FIELDS, fields);
                hostile.put(PublicDataAttributes.GRADE, grade);
            }
            case "ProtectRecord" -> {
                hostile.put(PublicDataAttributes.FIELDS, fields);
                hostile.put(PublicDataAttributes.DATASET, List.of("GOV-OTHER", " ", "\n", "x".repeat(70_000)));
                hostile.put(PublicDataAttributes.GRADE, grade);
            }
            case "DecryptRecord" -> {
                hostile.put(PublicDataAttributes.PROTECTED, protectedList);
                hostile.put(PublicDataAttributes.DATASET, List.of("GOV-OTHER", " ", DATASET + " ", "GOV-CIVIL-00"));
            }
            case "AssessDisclosureRisk" -> {
                hostile.put(PublicDataAttributes.FIELDS, fields);
                hostile.put(PublicDataAttributes.RECORD_COUNT, counts);
            }
            case "EmitLineage" -> {
                hostile.put(PublicDataAttributes.FIELDS, fields);
                hostile.put(PublicDataAttributes.PROTECTED, protectedList);
                hostile.put(PublicDataAttributes.DECISION, List.of("DENY", "deny", "PERMIT", "", "DENY "));
                hostile.put(PublicDataAttributes.DENY_COUNTS, List.of("X=1", "a=1", "GRADE_EXCEEDS_GRANT=abc", ",", "GRADE_EXCEEDS_GRANT=1,,", "=1",
                        "GRADE_EXCEEDS_GRANT=999999999999999999,SCOPE=999999999999999999"));
                hostile.put(PublicDataAttributes.DENY_REASON, List.of("", "no code", "GRADE_EXCEEDS_GRANT: " + TOKEN, ":"));
                hostile.put(PublicDataAttributes.RECORD_COUNT, counts);
                hostile.put(PublicDataAttributes.DATASET, List.of("", " ", "x".repeat(70_000), "a/b"));
                hostile.put(PublicDataAttributes.GRADE, grade);
            }
            default -> fail(processor);
        }
        final List<String> names = new ArrayList<>(hostile.keySet());
        final int changes = 1 + random.nextInt(Math.min(3, names.size()));
        for (int i = 0; i < changes; i++) {
            final String name = names.get(random.nextInt(names.size()));
            final int pick = random.nextInt(hostile.get(name).size() + 3);
            if (pick == 0) {
                attributes.remove(name);
                how.add(name + " missing");
            } else if (pick == 1) {
                attributes.put(name, "");
                how.add(name + " empty");
            } else if (pick == 2) {
                attributes.put(name, garbled.get(random.nextInt(garbled.size())));
                how.add(name + " garbled");
            } else {
                final String value = hostile.get(name).get(pick - 3);
                attributes.put(name, value);
                how.add(name + " = " + (value.length() > 80 ? value.substring(0, 80) + "..." : value));
            }
        }
    }

    private static byte[] insert(final byte[] content, final int at, final byte[] inserted) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + inserted.length);
        out.write(content, 0, at);
        out.write(inserted, 0, inserted.length);
        out.write(content, at, content.length - at);
        return out.toByteArray();
    }

    /** A character index between two letters or digits of the text: inside a value or a name. */
    private static int insideAValue(final String text, final Random random) {
        final List<Integer> places = new ArrayList<>();
        for (int i = 1; i < text.length(); i++) {
            if (Character.isLetterOrDigit(text.charAt(i - 1)) && Character.isLetterOrDigit(text.charAt(i))) {
                places.add(i);
            }
        }
        return places.isEmpty() ? 0 : places.get(random.nextInt(places.size()));
    }

    private static List<Integer> indexesOf(final String text, final char c) {
        final List<Integer> at = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == c) {
                at.add(i);
            }
        }
        return at;
    }

    private static String residentId(final String body) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * WEIGHTS[i];
        }
        return body + CHECK[sum % 11];
    }
}
