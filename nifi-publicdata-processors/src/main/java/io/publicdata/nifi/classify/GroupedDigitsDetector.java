package io.publicdata.nifi.classify;

/**
 * A detector of numbers people write in groups of digits, such as {@code 138 0013 8000},
 * {@code 6222-0202-0000-1234-567} or {@code 138.0013.8000}. Runs of digits joined by one to three spaces, dashes or dots
 * (after normalisation: NBSP, en-dashes and the like count) form a group; within a
 * group the detector tries windows of consecutive runs, longest first, and reports each accepted window
 * (non-overlapping, left to right). A window starts and ends at run boundaries, so a number is never
 * taken from the middle of a longer run of digits.
 */
abstract class GroupedDigitsDetector extends BaseDetector {

    GroupedDigitsDetector(final String label, final int defaultRank) {
        super(label, defaultRank);
    }

    @Override
    public void find(final TextShape shape, final SpanSink sink) {
        final int runs = shape.digitRunCount();
        int first = 0;
        while (first < runs) {
            int last = first;
            while (last + 1 < runs && joined(shape, last)) {
                last++;
            }
            int window = first;
            while (window <= last) {
                int accepted = -1;
                for (int end = last; end >= window && accepted < 0; end--) {
                    if (writtenAsOneNumber(shape, window, end) && accepts(shape, window, end) && standsAlone(shape, window, end)) {
                        accepted = end;
                    }
                }
                if (accepted >= 0) {
                    sink.accept(spanStart(shape, window), spanEnd(shape, window, accepted));
                    window = accepted + 1;
                } else {
                    window++;
                }
            }
            first = last + 1;
        }
    }

    /** Longest alphanumeric token a number may be glued to by a letter and still count: longer ones are digests, keys, codes. */
    private static final int LONGEST_TOKEN = 31;

    /**
     * Whether runs {@code firstRun..lastRun} are written as one number: the same separator between every two groups, and
     * dots only as a grouping (two or more), never a single decimal point; and the first run is not the fraction of a
     * decimal ({@code 88670.14536283852}).
     */
    private static boolean writtenAsOneNumber(final TextShape shape, final int firstRun, final int lastRun) {
        final String text = shape.text();
        final int start = shape.digitRunStart(firstRun);
        if (start >= 2 && text.charAt(start - 1) == '.' && Character.isDigit(text.charAt(start - 2))) {
            return false;
        }
        if (firstRun == lastRun) {
            return true;
        }
        final String separator = text.substring(shape.digitRunEnd(firstRun), shape.digitRunStart(firstRun + 1));
        for (int run = firstRun + 1; run < lastRun; run++) {
            if (!text.regionMatches(shape.digitRunEnd(run), separator, 0, separator.length())
                    || shape.digitRunStart(run + 1) - shape.digitRunEnd(run) != separator.length()) {
                return false;
            }
        }
        return separator.indexOf('.') < 0 || lastRun - firstRun >= 2;
    }

    /**
     * Whether the candidate is not part of a long alphanumeric token (a hex digest, a pseudonym, a Base64 key): glued to a
     * letter on either side of a token longer than {@value #LONGEST_TOKEN} characters, digits are no number; nor are
     * grouped digits glued to a letter ({@code 8838992c-e9d3-3a13-9171-152021100584}), nor digits glued to a letter in a
     * UUID's group ({@code ef47a4e5-58bd-3140-81c4-f14501576217}).
     */
    private boolean standsAlone(final TextShape shape, final int firstRun, final int lastRun) {
        final String text = shape.text();
        final int start = spanStart(shape, firstRun);
        final int end = spanEnd(shape, firstRun, lastRun);
        if (!isLetter(text, start - 1) && !isLetter(text, end)) {
            return true;
        }
        if (firstRun != lastRun) {
            // Grouped digits glued to letters are pieces of a token (a UUID), not a number someone wrote in groups
            return false;
        }
        int from = start;
        while (from > 0 && shape.isWordCharAt(from - 1)) {
            from--;
        }
        int to = end;
        while (shape.isWordCharAt(to)) {
            to++;
        }
        if (insideUuid(text, from, to)) {
            // The last group of a UUID is 12 hex characters: digits glued to a hex letter there are no number either
            return false;
        }
        return to - from <= LONGEST_TOKEN || countsInsideLongTokens(shape, firstRun, lastRun);
    }

    /** Whether the candidate is an identifier even glued into a token longer than {@value #LONGEST_TOKEN} characters. */
    boolean countsInsideLongTokens(final TextShape shape, final int firstRun, final int lastRun) {
        return false;
    }

    /** Length of a UUID in its text form, 8-4-4-4-12 hex characters. */
    private static final int UUID_LENGTH = 36;

    /** Whether the token from..to (exclusive) lies inside a UUID written in its text form. */
    static boolean insideUuid(final String text, final int from, final int to) {
        for (int start = Math.max(0, to - UUID_LENGTH); start <= from && start + UUID_LENGTH <= text.length(); start++) {
            if (isUuidAt(text, start)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUuidAt(final String text, final int start) {
        for (int i = 0; i < UUID_LENGTH; i++) {
            final char c = text.charAt(start + i);
            final boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!ok) {
                return false;
            }
        }
        return (start == 0 || !isHexOrDash(text.charAt(start - 1))) && (start + UUID_LENGTH == text.length() || !isHexOrDash(text.charAt(start + UUID_LENGTH)));
    }

    private static boolean isHexOrDash(final char c) {
        return c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static boolean isLetter(final String text, final int index) {
        if (index < 0 || index >= text.length()) {
            return false;
        }
        final char c = text.charAt(index);
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    private static boolean joined(final TextShape shape, final int run) {
        return TextShape.joinedBySeparators(shape.text(), shape.digitRunEnd(run), shape.digitRunStart(run + 1));
    }

    /** Where the span of an identifier starting with this run begins (a sign before it may belong to it). */
    int spanStart(final TextShape shape, final int firstRun) {
        return shape.digitRunStart(firstRun);
    }

    /** Where the span of an identifier ending with this run ends (a check character after it may belong to it). */
    int spanEnd(final TextShape shape, final int firstRun, final int lastRun) {
        return shape.digitRunEnd(lastRun);
    }

    /** Whether the digits of runs {@code firstRun..lastRun} form an identifier. */
    abstract boolean accepts(TextShape shape, int firstRun, int lastRun);

    /** Number of digits in runs {@code firstRun..lastRun}. */
    static int digitCount(final TextShape shape, final int firstRun, final int lastRun) {
        int count = 0;
        for (int run = firstRun; run <= lastRun; run++) {
            count += shape.digitRunEnd(run) - shape.digitRunStart(run);
        }
        return count;
    }

    /**
     * Whether every boundary between the runs falls after one of the given digit counts: where the
     * writing convention allows a separator.
     */
    static boolean separatorsAt(final TextShape shape, final int firstRun, final int lastRun, final int... allowed) {
        int count = 0;
        for (int run = firstRun; run < lastRun; run++) {
            count += shape.digitRunEnd(run) - shape.digitRunStart(run);
            boolean ok = false;
            for (final int position : allowed) {
                ok |= position == count;
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The digits of runs {@code firstRun..lastRun} without their separators. */
    static String digits(final TextShape shape, final int firstRun, final int lastRun) {
        if (firstRun == lastRun) {
            return shape.text().substring(shape.digitRunStart(firstRun), shape.digitRunEnd(firstRun));
        }
        final StringBuilder digits = new StringBuilder(20);
        for (int run = firstRun; run <= lastRun; run++) {
            digits.append(shape.text(), shape.digitRunStart(run), shape.digitRunEnd(run));
        }
        return digits.toString();
    }
}
