package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.Detector;
import io.publicdata.nifi.classify.Detectors;
import io.publicdata.nifi.classify.Labels;
import io.publicdata.nifi.classify.TextShape;
import org.apache.nifi.processor.exception.ProcessException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The one place through which a failure is put into words for anything that leaves a processor: the
 * {@code record.error.message} attribute and other attributes, log lines at every level (and so bulletins), and
 * provenance details. It names the record, the field and the type of the cause, never a value.
 *
 * <p>NiFi's readers and writers, the JDK and Jackson quote values in their messages ({@code For input string:
 * "11010119900307777X"}, {@code MapRecord[{mobile=138-0013-8000}]}, a JSON parser's excerpt of the source). So a message
 * is repeated only when this project wrote it: the exception's class is one of ours, or it is a plain
 * IllegalArgumentException, IllegalStateException or ProcessException created by our code (its first stack frame is
 * ours). Our code never puts a foreign message into one of these on a path that handles records. Every other cause is named by its type alone.
 * As a second line, whatever this class returns is scanned with the built-in detectors, and anything that looks like a
 * resident ID (check digit), a mobile or an e-mail is replaced by its label.
 */
public final class SafeMessages {

    private static final String OUR_PACKAGE = "io.publicdata.nifi.";
    /** Types whose messages are trusted when our code created them (their first stack frame is ours). */
    private static final Set<Class<?>> PLAIN_TYPES = Set.of(IllegalArgumentException.class, IllegalStateException.class, ProcessException.class);
    /**
     * The detectors of the safety net: identifiers with a shape of their own. Bank-card-like digit runs are left out:
     * random numbers (a temporary folder's name) pass the Luhn check one time in ten, and a message of ours that names
     * a file would be garbled.
     */
    private static final List<Detector> DETECTORS = Detectors.builtIn().stream()
            .filter(detector -> Set.of(Labels.PERSONAL_ID, Labels.MOBILE, Labels.EMAIL).contains(detector.label()))
            .toList();
    private static final int MAX_CAUSES = 8;

    private SafeMessages() {
    }

    /**
     * Why something failed: the messages this project wrote, and the types of the other causes, outermost first,
     * e.g. {@code Record 3 could not be read: MalformedRecordException: NumberFormatException}.
     */
    public static String reason(final Throwable failure) {
        final List<String> parts = new ArrayList<>();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_CAUSES; t = t.getCause() == t ? null : t.getCause(), depth++) {
            final String part = part(t);
            if (part != null && parts.stream().noneMatch(existing -> existing.contains(part))) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? failure.getClass().getSimpleName() : String.join(": ", parts);
    }

    /**
     * A failure as it may be logged with its stack trace: the same classes of cause are named and the same stack
     * traces kept, but every message is what {@link #reason} would say of it.
     */
    public static Throwable loggable(final Throwable failure) {
        Throwable cause = null;
        final List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < MAX_CAUSES; t = t.getCause() == t ? null : t.getCause()) {
            chain.add(t);
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            final Throwable original = chain.get(i);
            final String part = part(original);
            final SanitizedFailure copy = new SanitizedFailure(original.getClass().getName() + (part == null || !trusted(original) ? "" : ": " + part),
                    cause);
            copy.setStackTrace(original.getStackTrace());
            cause = copy;
        }
        return cause;
    }

    /** Whether this project wrote the message of this throwable (so it holds no value). */
    static boolean trusted(final Throwable t) {
        if (t.getClass().getName().startsWith(OUR_PACKAGE)) {
            return true;
        }
        if (!PLAIN_TYPES.contains(t.getClass())) {
            return false;
        }
        final StackTraceElement[] stack = t.getStackTrace();
        return stack.length > 0 && stack[0].getClassName().startsWith(OUR_PACKAGE);
    }

    /** What a text may say once it leaves: anything a detector takes for an identifier is replaced by its label. */
    public static String scrub(final String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        final TextShape shape = TextShape.of(text);
        if (!shape.mayHoldIdentifier()) {
            return text;
        }
        record Span(int start, int end, String label) {
        }
        final List<Span> spans = new ArrayList<>();
        for (final Detector detector : DETECTORS) {
            if (detector.mayOccurIn(shape)) {
                detector.find(shape, (start, end) -> spans.add(new Span(start, end, detector.label())));
            }
        }
        if (spans.isEmpty()) {
            return text;
        }
        spans.sort(Comparator.comparingInt(Span::start).thenComparingInt(span -> -span.end()));
        final StringBuilder out = new StringBuilder(text.length());
        int done = 0;
        for (final Span span : spans) {
            if (span.start() >= done) {
                out.append(text, done, span.start()).append('<').append(span.label()).append('>');
                done = span.end();
            }
        }
        return out.append(text, done, text.length()).toString();
    }

    private static String part(final Throwable t) {
        if (trusted(t)) {
            final String message = t.getMessage();
            return message == null || message.isBlank() ? null : scrub(message.strip());
        }
        return t.getClass().getSimpleName();
    }

    /** A cause with its original class named in the message and its original stack trace; see {@link #loggable}. */
    static final class SanitizedFailure extends Exception {
        SanitizedFailure(final String message, final Throwable cause) {
            super(message, cause, false, true);
        }
    }
}
