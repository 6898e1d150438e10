package io.publicdata.nifi.classify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mainland China mobile numbers (手机号码): eleven digits in a number segment that carriers issue,
 * optionally written with {@code +86}/{@code 0086}/{@code 86} and spaces or dashes (138 0013 8000,
 * +86-138-0013-8000).
 */
final class MobileDetector extends PatternDetector {

    private static final Pattern CANDIDATES = Pattern.compile(
            "(?<![0-9])(?:(?:\\+|00)?86[ -]?)?(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])");

    MobileDetector() {
        super(Labels.MOBILE, 2, CANDIDATES);
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return shape.digits() >= 11;
    }

    @Override
    boolean isValid(final Matcher candidate) {
        return isIssuedSegment(Integer.parseInt(candidate.group(1)));
    }

    /** Segments 13x-19x that carriers (and virtual operators) issue for person-to-person mobile service. */
    static boolean isIssuedSegment(final int segment) {
        return switch (segment / 10) {
            case 13, 18, 19 -> true;
            case 14 -> segment >= 145;
            case 15 -> segment != 154;
            case 16 -> segment == 162 || (segment >= 165 && segment <= 167);
            case 17 -> segment <= 178;
            default -> false;
        };
    }
}
