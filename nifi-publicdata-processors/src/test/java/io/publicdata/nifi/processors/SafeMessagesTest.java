package io.publicdata.nifi.processors;

import io.publicdata.nifi.protect.ProtectionException;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sanitiser on its own: whose messages pass, what the detectors scrub, what a logged exception still shows. */
class SafeMessagesTest {

    private static final String ID = "11010519491231002X";

    @Test
    void foreignMessagesAreNamedByTheirTypeOursAreKept() {
        final NumberFormatException foreign = new NumberFormatException("For input string: \"" + ID + "\"");
        assertEquals("NumberFormatException", SafeMessages.reason(foreign));
        final IllegalStateException ours = new IllegalStateException("Record 3 could not be written", foreign);
        assertEquals("Record 3 could not be written: NumberFormatException", SafeMessages.reason(ours));
        assertEquals("Field /mobile (record 2): too short", SafeMessages.reason(new ProtectionException("Field /mobile (record 2): too short")));
        // A plain IllegalArgumentException made outside our code (here: by the JDK) is foreign
        final IllegalArgumentException jdk = assertThrowsIllegalArgument(() -> java.util.UUID.fromString("Qx7PLANTEDsecret"));
        assertEquals("IllegalArgumentException", SafeMessages.reason(jdk));
    }

    @Test
    void ourMessagesAreScrubbedOfAnythingThatLooksLikeAnIdentifier() {
        assertEquals("Field /a (record 1): <PERSONAL_ID> and <MOBILE> are not allowed",
                SafeMessages.reason(new IllegalArgumentException("Field /a (record 1): " + ID + " and 13800138000 are not allowed")));
        assertEquals("Record 12 has 3 fields", SafeMessages.scrub("Record 12 has 3 fields"));
        // A file name whose digits happen to pass the Luhn check is no bank card to hide
        assertEquals("Catalog file /tmp/junit-4111111111111111/catalog.json is not valid",
                SafeMessages.scrub("Catalog file /tmp/junit-4111111111111111/catalog.json is not valid"));
    }

    @Test
    void aLoggedFailureKeepsItsStackTracesAndTypesButNoForeignMessage() {
        final NumberFormatException foreign = new NumberFormatException("For input string: \"" + ID + "\"");
        final RuntimeException ours = new IllegalStateException("Record 3 could not be read", foreign);
        final Throwable loggable = SafeMessages.loggable(ours);
        final StringWriter trace = new StringWriter();
        loggable.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains(ID), trace.toString());
        assertTrue(trace.toString().contains("java.lang.IllegalStateException: Record 3 could not be read"), trace.toString());
        assertTrue(trace.toString().contains("java.lang.NumberFormatException"), trace.toString());
        assertArrayEquals(ours.getStackTrace(), loggable.getStackTrace());
        assertArrayEquals(foreign.getStackTrace(), loggable.getCause().getStackTrace());
    }

    @Test
    void aReadersLogLineKeepsItsWordsAndLosesItsArguments() {
        assertEquals("Failed to write (withheld) with writer schema (withheld): NumberFormatException",
                SafeComponentLog.safe("Failed to write {} with writer schema {}", "MapRecord[{mobile=138-0013-8000}]", "{...}",
                        new NumberFormatException("For input string: \"138-0013-8000\"")));
    }

    private static IllegalArgumentException assertThrowsIllegalArgument(final Runnable action) {
        try {
            action.run();
        } catch (final IllegalArgumentException e) {
            return e;
        }
        throw new AssertionError("no IllegalArgumentException");
    }
}
