package io.publicdata.nifi.classify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A detector that finds candidates with a regular expression and keeps those {@link #isValid} accepts.
 * The pattern's boundaries keep an identifier from matching inside a longer run of digits or letters.
 */
abstract class PatternDetector implements Detector {

    private final String label;
    private final int defaultRank;
    private final Pattern candidates;

    PatternDetector(final String label, final int defaultRank, final Pattern candidates) {
        this.label = label;
        this.defaultRank = defaultRank;
        this.candidates = candidates;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public int defaultRank() {
        return defaultRank;
    }

    @Override
    public void find(final String text, final SpanSink sink) {
        final Matcher matcher = candidates.matcher(text);
        while (matcher.find()) {
            if (isValid(matcher)) {
                sink.accept(matcher.start(), matcher.end());
            }
        }
    }

    /** Whether the candidate the matcher stands on is a real identifier. */
    abstract boolean isValid(Matcher candidate);

    /** The candidate's characters with separators (spaces, dashes, dots) removed. */
    static String compact(final CharSequence candidate) {
        final StringBuilder sb = new StringBuilder(candidate.length());
        for (int i = 0; i < candidate.length(); i++) {
            final char c = candidate.charAt(i);
            if (c != ' ' && c != '-' && c != '\u00b7') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return label;
    }
}
