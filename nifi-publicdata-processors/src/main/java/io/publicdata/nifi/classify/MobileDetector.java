package io.publicdata.nifi.classify;

/**
 * Mainland China mobile numbers (手机号码): eleven digits in a number segment that carriers issue,
 * optionally after the country code {@code 86}/{@code 0086} (with or without {@code +}), written whole or
 * in the usual groups: 13800138000, 138 0013 8000, 138-0013-8000, +86 138 0013 8000.
 */
final class MobileDetector extends GroupedDigitsDetector {

    MobileDetector() {
        super(Labels.MOBILE, 2);
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return shape.longestDigitGroup() >= 11;
    }

    @Override
    boolean accepts(final TextShape shape, final int firstRun, final int lastRun) {
        final int count = digitCount(shape, firstRun, lastRun);
        final int prefix = count - 11;
        if (prefix != 0 && prefix != 2 && prefix != 4) {
            return false;
        }
        final int afterPrefix = prefix == 0 ? 3 : prefix;
        if (!separatorsAt(shape, firstRun, lastRun, afterPrefix, prefix + 3, prefix + 7)) {
            return false;
        }
        final String digits = digits(shape, firstRun, lastRun);
        if ((prefix == 2 && !digits.startsWith("86")) || (prefix == 4 && !digits.startsWith("0086"))) {
            return false;
        }
        final int segment = (digits.charAt(prefix) - '0') * 100 + (digits.charAt(prefix + 1) - '0') * 10 + digits.charAt(prefix + 2) - '0';
        return isIssuedSegment(segment);
    }

    @Override
    int spanStart(final TextShape shape, final int firstRun) {
        final int start = shape.digitRunStart(firstRun);
        return start > 0 && shape.text().charAt(start - 1) == '+' ? start - 1 : start;
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
