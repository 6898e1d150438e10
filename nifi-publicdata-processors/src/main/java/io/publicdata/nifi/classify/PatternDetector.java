package io.publicdata.nifi.classify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A detector that finds candidates with a regular expression and keeps those {@link #isValid} accepts; for
 * identifiers that punctuation rather than runs of digits delimits (e-mail, plates). The pattern's boundaries
 * keep an identifier from matching inside a longer run of letters or digits.
 */
abstract class PatternDetector extends BaseDetector {

    private final Pattern candidates;

    PatternDetector(final String label, final int defaultRank, final Pattern candidates) {
        super(label, defaultRank);
        this.candidates = candidates;
    }

    @Override
    public void find(final TextShape shape, final SpanSink sink) {
        final Matcher matcher = candidates.matcher(shape.text());
        while (matcher.find()) {
            if (isValid(matcher)) {
                sink.accept(matcher.start(), matcher.end());
            }
        }
    }

    /** Whether the candidate the matcher stands on is a real identifier. */
    abstract boolean isValid(Matcher candidate);
}
