package io.publicdata.nifi.processors;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Watches the bytes a record reader reads and stops it when JSON content holds, where a record should be, a value that is
 * no object: {@code [{"id": 1}, null, {"id": 3}]}, {@code ["13800138000", {"id": 2}]}. NiFi's JSON readers skip such a
 * value and, with it, the record after it, and then report the end of the records: the FlowFile would go on with records
 * silently missing. Here the read fails instead, so the FlowFile goes to failure unchanged.
 *
 * <p>Only content whose first character (after white space and a byte order mark) is {@code [} or {@code {} is watched;
 * a record is an object at the top level or inside top-level arrays (as NiFi's readers read them). The bytes are followed
 * as they pass, in the same single pass over the content, with as little state as JSON's structure needs: inside a record
 * only strings (with their escapes) and brackets count, so that a record is crossed at the cost of a comparison or two
 * per byte; between records a string, a number, {@code true}, {@code false} or {@code null} is a value that is no record.
 * No value is kept. Anything else that is not JSON is left to the reader: the watch ends there. One per read of a
 * FlowFile; not thread-safe.
 */
final class JsonRecordGuard extends FilterInputStream {

    private enum State { UNDECIDED, WATCHING, OFF }

    private State state = State.UNDECIDED;
    /** Containers open inside the current record; 0 between records. */
    private int insideRecord;
    /** Inside a string of the current record, and just after a backslash in it. */
    private boolean inString;
    private boolean escaped;
    /** A literal being read between records ({@code true}, {@code false}, {@code null}) and how much of it is read. */
    private String literal;
    private int literalRead;
    /** Values at the record level so far: records and non-records. */
    private long values;

    JsonRecordGuard(final InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        final int b = in.read();
        if (b < 0) {
            end();
        } else {
            watch(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
        final int n = in.read(buffer, offset, length);
        if (n < 0) {
            end();
        } else if (n > 0) {
            watch(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(final long n) throws IOException {
        // Skipped bytes would not be watched
        long skipped = 0;
        final byte[] buffer = new byte[8192];
        while (skipped < n) {
            final int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void watch(final byte[] buffer, final int offset, final int length) throws NotARecord {
        if (state == State.UNDECIDED) {
            decide(buffer, offset, length);
        }
        if (state != State.WATCHING) {
            return;
        }
        // The state in locals while the bytes of a record pass, so that they stay in registers: a comparison or two a byte
        int depth = insideRecord;
        boolean string = inString;
        boolean escape = escaped;
        for (int i = offset; i < offset + length; i++) {
            final byte b = buffer[i];
            if (depth == 0) {
                insideRecord = 0;
                between(b);
                if (state != State.WATCHING) {
                    return;
                }
                depth = insideRecord;
            } else if (string) {
                if (escape) {
                    escape = false;
                } else if (b == '\\') {
                    escape = true;
                } else if (b == '"') {
                    string = false;
                }
            } else if (b == '"') {
                string = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        insideRecord = depth;
        inString = string;
        escaped = escape;
    }

    /** A byte between records: white space, a comma and the brackets of top-level arrays pass; a record opens; any other value is no record. */
    private void between(final byte b) throws NotARecord {
        if (literal != null) {
            if (literalRead < literal.length()) {
                if (b == literal.charAt(literalRead)) {
                    literalRead++;
                } else {
                    stop();
                }
                return;
            }
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == ',' || b == ']') {
                throw new NotARecord(++values);
            }
            stop();
            return;
        }
        switch (b) {
            case ' ', '\t', '\r', '\n', ',', '[', ']', (byte) 0xef, (byte) 0xbb, (byte) 0xbf -> {
            }
            case '{' -> {
                insideRecord = 1;
                values++;
            }
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            case '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> throw new NotARecord(++values);
            default -> stop();
        }
    }

    private void literal(final String text) {
        literal = text;
        literalRead = 1;
    }

    private void end() throws NotARecord {
        if (state == State.WATCHING && literal != null && literalRead == literal.length()) {
            stop();
            throw new NotARecord(++values);
        }
        stop();
    }

    /** Watches when the first character that is not white space or a byte order mark opens an array or an object. */
    private void decide(final byte[] buffer, final int offset, final int length) {
        for (int i = offset; i < offset + length; i++) {
            final int c = buffer[i] & 0xff;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xef || c == 0xbb || c == 0xbf) {
                continue;
            }
            state = c == '[' || c == '{' ? State.WATCHING : State.OFF;
            return;
        }
    }

    /** Not JSON, or no more to watch: the reader decides the rest. */
    private void stop() {
        state = State.OFF;
    }

    /** A value where a record should be that is no object. Says where, never what. */
    static final class NotARecord extends IOException {
        NotARecord(final long position) {
            super("Value " + position + " of the JSON content is not an object, so it is no record (NiFi's JSON readers would skip it and the "
                    + "record after it); nothing is processed");
        }
    }
}
