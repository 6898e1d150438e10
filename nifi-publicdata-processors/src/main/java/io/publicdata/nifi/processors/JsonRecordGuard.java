package io.publicdata.nifi.processors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;

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
 * a record is an object at the top level or inside top-level arrays (as NiFi's readers read them), and nothing inside a
 * record is looked at. Tokens are read with Jackson's non-blocking parser as the bytes pass, in the same single pass over
 * the content, and no value is kept. Content that is not well-formed JSON is left to the reader: the watch ends at the
 * first syntax error. One per read of a FlowFile; not thread-safe.
 */
final class JsonRecordGuard extends FilterInputStream {

    private static final JsonFactory JSON = new JsonFactory();

    private enum State { UNDECIDED, WATCHING, OFF }

    private State state = State.UNDECIDED;
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    /** Containers open inside the current record; 0 between records. */
    private int insideRecord;
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

    private void watch(final byte[] buffer, final int offset, final int length) throws IOException {
        if (state == State.UNDECIDED) {
            decide(buffer, offset, length);
        }
        if (state != State.WATCHING) {
            return;
        }
        try {
            feeder.feedInput(buffer, offset, offset + length);
            drain();
        } catch (final NotARecord e) {
            throw e;
        } catch (final IOException e) {
            // Not well-formed JSON: whether that fails the read is the reader's business
            stop();
        }
    }

    private void end() throws IOException {
        if (state != State.WATCHING) {
            return;
        }
        try {
            feeder.endOfInput();
            drain();
        } catch (final NotARecord e) {
            throw e;
        } catch (final IOException e) {
            stop();
        }
        stop();
    }

    /** Watches when the first character that is not white space or a byte order mark opens an array or an object. */
    private void decide(final byte[] buffer, final int offset, final int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            final int c = buffer[i] & 0xff;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xef || c == 0xbb || c == 0xbf) {
                continue;
            }
            if (c == '[' || c == '{') {
                state = State.WATCHING;
                parser = JSON.createNonBlockingByteArrayParser();
                feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
            } else {
                state = State.OFF;
            }
            return;
        }
    }

    private void drain() throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
            if (insideRecord > 0) {
                if (token.isStructStart()) {
                    insideRecord++;
                } else if (token.isStructEnd()) {
                    insideRecord--;
                }
                continue;
            }
            switch (token) {
                case START_OBJECT -> {
                    insideRecord = 1;
                    values++;
                }
                case START_ARRAY, END_ARRAY -> {
                }
                default -> throw new NotARecord(++values);
            }
        }
    }

    private void stop() throws IOException {
        state = State.OFF;
        if (parser != null) {
            parser.close();
        }
    }

    /** A value where a record should be that is no object. Says where, never what. */
    static final class NotARecord extends IOException {
        NotARecord(final long position) {
            super("Value " + position + " of the JSON content is not an object, so it is no record (NiFi's JSON readers would skip it and the "
                    + "record after it); nothing is processed");
        }
    }
}
