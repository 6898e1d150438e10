package io.publicdata.nifi.classify;

/**
 * Finds one kind of identifier in a text value, validating each candidate (check digits, dates,
 * ranges) rather than trusting a pattern alone. Implementations are immutable and thread-safe.
 */
public interface Detector {

    /** The label this detector attaches, e.g. {@link Labels#PERSONAL_ID}. */
    String label();

    /** Rank of the grade this detector reports on the default ladder (0 = L1); rules may override it. */
    int defaultRank();

    /**
     * Whether identifiers of this kind could occur in a text of this shape at all; a cheap test that
     * spares the full scan for most values.
     */
    boolean mayOccurIn(TextShape shape);

    /**
     * Reports every valid identifier of this kind in the shape's text, whole value or embedded in free
     * text, by calling {@code sink} with its start (inclusive) and end (exclusive) offsets, in order.
     * Call only when {@link #mayOccurIn} holds.
     */
    void find(TextShape shape, SpanSink sink);

    /** Reports every valid identifier of this kind inside the text; see {@link #find(TextShape, SpanSink)}. */
    default void find(final String text, final SpanSink sink) {
        final TextShape shape = TextShape.of(text);
        if (mayOccurIn(shape)) {
            find(shape, sink);
        }
    }

    /** Whether the shape's text holds at least one valid identifier of this kind. */
    default boolean foundIn(final TextShape shape) {
        if (!mayOccurIn(shape)) {
            return false;
        }
        final boolean[] found = {false};
        find(shape, (start, end) -> found[0] = true);
        return found[0];
    }

    default boolean foundIn(final String text) {
        return foundIn(TextShape.of(text));
    }

    /** Receives the span of a detected identifier. */
    @FunctionalInterface
    interface SpanSink {
        void accept(int start, int end);
    }
}
