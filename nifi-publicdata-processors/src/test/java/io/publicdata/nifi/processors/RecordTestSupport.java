package io.publicdata.nifi.processors;

import io.publicdata.nifi.services.StandardPublicDataKeyProvider;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.csv.CSVReader;
import org.apache.nifi.csv.CSVRecordSetWriter;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.TestRunner;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Wires NiFi's real record readers and writers into a test runner, sets the tests' usual grant, and reads test fixtures. */
public final class RecordTestSupport {

    public static final String READER = "reader";
    public static final String WRITER = "writer";

    private RecordTestSupport() {
    }

    /** JsonTreeReader and JsonRecordSetWriter, both with their defaults (inferred schema, array output). */
    public static void useJson(final TestRunner runner) throws InitializationException {
        final JsonTreeReader reader = new JsonTreeReader();
        runner.addControllerService(READER, reader);
        runner.enableControllerService(reader);
        final JsonRecordSetWriter writer = new JsonRecordSetWriter();
        runner.addControllerService(WRITER, writer);
        runner.enableControllerService(writer);
        runner.setProperty(AbstractRecordTransformProcessor.RECORD_READER, READER);
        runner.setProperty(AbstractRecordTransformProcessor.RECORD_WRITER, WRITER);
    }

    /** CSVReader (header line, inferred schema, the given parser) and CSVRecordSetWriter with its defaults. */
    public static void useCsv(final TestRunner runner, final String parser) throws InitializationException {
        final CSVReader reader = new CSVReader();
        runner.addControllerService(READER, reader);
        runner.setProperty(reader, CSVReader.CSV_PARSER, parser);
        runner.enableControllerService(reader);
        final CSVRecordSetWriter writer = new CSVRecordSetWriter();
        runner.addControllerService(WRITER, writer);
        runner.enableControllerService(writer);
        runner.setProperty(AbstractRecordTransformProcessor.RECORD_READER, READER);
        runner.setProperty(AbstractRecordTransformProcessor.RECORD_WRITER, WRITER);
    }

    public static void useCsv(final TestRunner runner) throws InitializationException {
        useCsv(runner, CSVReader.APACHE_COMMONS_CSV.getValue());
    }

    /** A test resource as UTF-8 text. */
    public static String resource(final Class<?> testClass, final String name) {
        try (InputStream in = testClass.getResourceAsStream("/" + testClass.getSimpleName() + "/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No test resource " + testClass.getSimpleName() + "/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The grant most EnforceGrantScope tests start from, in properties: GR-2025-0001 by domain (民政, 救助审核) to the
     * grantee over GOV-CIVIL-001, these fields, up to L3, valid from 2025 to 2099. A test sets again what it needs otherwise.
     */
    public static void grantInProperties(final TestRunner runner, final String grantee, final String permittedFields) {
        runner.setProperty(GrantProperties.GRANT_ID, "GR-2025-0001");
        runner.setProperty(GrantProperties.GRANTEE, grantee);
        runner.setProperty(GrantProperties.AUTHORIZATION_MODE, "DOMAIN");
        runner.setProperty(GrantProperties.DOMAINS, "民政");
        runner.setProperty(GrantProperties.PURPOSES, "救助审核");
        runner.setProperty(GrantProperties.DATASETS, "GOV-CIVIL-001");
        runner.setProperty(GrantProperties.PERMITTED_FIELDS, permittedFields);
        runner.setProperty(GrantProperties.MAXIMUM_GRADE, "L3");
        runner.setProperty(GrantProperties.VALID_FROM, "2025-01-01T00:00:00+08:00");
        runner.setProperty(GrantProperties.VALID_UNTIL, "2099-01-01T00:00:00+08:00");
    }

    /**
     * A StandardPublicDataKeyProvider with these keys ({@code id, hex key, id, hex key, …}) and this active key id,
     * enabled and set as the processor's key provider property.
     */
    public static void useKeys(final TestRunner runner, final PropertyDescriptor property, final String active, final String... idsAndKeys)
            throws InitializationException {
        final StandardPublicDataKeyProvider keys = new StandardPublicDataKeyProvider();
        runner.addControllerService("keys", keys);
        for (int i = 0; i < idsAndKeys.length; i += 2) {
            runner.setProperty(keys, "key." + idsAndKeys[i], idsAndKeys[i + 1]);
        }
        runner.setProperty(keys, StandardPublicDataKeyProvider.ACTIVE_KEY_ID, active);
        runner.enableControllerService(keys);
        runner.setProperty(property, "keys");
    }
}
