package io.publicdata.nifi.classify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passport numbers of the People's Republic of China (护照号码) in the formats the issuing authorities
 * use: ordinary passports {@code E} + 8 digits, {@code E} + letter + 7 digits (letters I and O are
 * never used) and the older {@code G} + 8 digits; diplomatic, service and public-affairs passports
 * {@code DE}, {@code SE}, {@code PE} + 7 digits. Passport numbers carry no check digit, so the
 * validation is the format: prefix, alphabet and exact length.
 */
final class PassportDetector extends PatternDetector {

    private static final Pattern CANDIDATES = Pattern.compile(
            "(?<![0-9A-Za-z])(?:[EG][0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|[DSP]E[0-9]{7})(?![0-9A-Za-z])");

    PassportDetector() {
        super(Labels.PASSPORT, 2, CANDIDATES);
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return shape.digits() >= 7;
    }

    @Override
    boolean isValid(final Matcher candidate) {
        // A run of nine zeros after the prefix is never issued
        return !candidate.group().endsWith("0000000");
    }
}
