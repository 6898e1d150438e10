package io.publicdata.nifi.classify;

/**
 * Finds one kind of identifier in a text value, validating each candidate (check digits, dates,
 * ranges) rather than trusting a pattern alone. Implementations are immutable and thread-safe.
 *
 * <p>An abstract class rather than an interface: grading asks every detector {@link #mayOccurIn} for every value that
 * may hold an identifier, and a virtual call costs less there than an interface call. Only this package implements it.</p>
 */
public abstract class Detector {

    Detector() {
    }

    /** The label this detector attaches, e.g. {@link Labels#PERSONAL_ID}. */
    public abstract String label();

    /** Rank of the grade this detector reports on the default ladder (0 = L1); rules may override it. */
    public abstract int defaultRank();

    /**
     * Whether identifiers of this kind could occur in a text of this shape at all; a cheap test that
     * spares the full scan for most values.
     */
    public abstract boolean mayOccurIn(TextShape shape);

    /**
     * Reports every valid identifier of this kind in the shape's (normalised) text, whole value or embedded in free
     * text, by calling {@code sink} with its start (inclusive) and end (exclusive) offsets in that text, in order;
     * {@link TextShape#originalStart} and {@link TextShape#originalEnd} map them to the original.
     * Call only when {@link #mayOccurIn} holds.
     */
    public abstract void find(TextShape shape, SpanSink sink);

    /**
     * Reports every valid identifier of this kind inside the text, as {@link #find(TextShape, SpanSink)} does, but with
     * offsets into the text as given: a span covers every character that wrote the identifier (separators, zero-width
     * characters and full-width digits included).
     */
    public void find(final String text, final SpanSink sink) {
        final TextShape shape = TextShape.of(text);
        if (mayOccurIn(shape)) {
            find(shape, (start, end) -> sink.accept(shape.originalStart(start), shape.originalEnd(end)));
        }
    }

    /** Whether the shape's text holds at least one valid identifier of this kind. */
    public boolean foundIn(final TextShape shape) {
        if (!mayOccurIn(shape)) {
            return false;
        }
        final boolean[] found = {false};
        find(shape, (start, end) -> found[0] = true);
        return found[0];
    }

    public boolean foundIn(final String text) {
        return foundIn(TextShape.of(text));
    }

    /** Receives the span of a detected identifier. */
    @FunctionalInterface
    public interface SpanSink {
        void accept(int start, int end);
    }
}
