package io.publicdata.nifi.classify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * E-mail addresses (电子邮箱): a dot-atom local part of at most 64 characters, {@code @}, and a domain
 * of letter-digit-hyphen labels ending in an alphabetic top-level domain.
 */
final class EmailDetector extends PatternDetector {

    private static final Pattern CANDIDATES = Pattern.compile(
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-]+(?:\\.[A-Za-z0-9_%+-]+)*@"
                    + "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])");

    EmailDetector() {
        super(Labels.EMAIL, 2, CANDIDATES);
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return shape.hasAt();
    }

    @Override
    boolean isValid(final Matcher candidate) {
        final String email = candidate.group();
        final int at = email.indexOf('@');
        return at <= 64 && email.length() <= 254;
    }
}
