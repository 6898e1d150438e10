package io.publicdata.nifi.catalog;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A closed set of catalog values, each with a code (written in attributes and documents) and its Chinese term. */
interface CatalogTerm {

    String name();

    /** The term used in Chinese catalogs, e.g. 有条件开放. */
    String term();

    /**
     * The value a text names, by code ({@code CONDITIONAL}) or Chinese term ({@code 有条件开放}); catalogs exported from
     * Chinese catalog systems hold the terms.
     *
     * @throws IllegalArgumentException listing what is allowed
     */
    static <T extends Enum<T> & CatalogTerm> T parse(final Class<T> type, final String text, final String what) {
        if (text != null) {
            final String wanted = text.strip();
            for (final T value : type.getEnumConstants()) {
                if (value.name().equals(wanted) || value.term().equals(wanted)) {
                    return value;
                }
            }
        }
        throw new IllegalArgumentException(what + " '" + text + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(v -> v.name() + " (" + v.term() + ")").collect(Collectors.joining(", ")));
    }
}
