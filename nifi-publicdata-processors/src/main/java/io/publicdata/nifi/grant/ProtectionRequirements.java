package io.publicdata.nifi.grant;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The text form of required protection, the one grammar every place that writes it as text uses (processor
 * properties, the command line, logs): comma-separated {@code GRADE=METHOD|METHOD} pairs, e.g.
 * {@code L3=MASK|PSEUDONYMIZE|ENCRYPT, L4=ENCRYPT}. Methods are {@link ProtectionMethod} names (case ignored); a
 * grade is listed once. The JSON form of a grant document is {@code {"L3": ["MASK", "ENCRYPT"]}} ({@link GrantJson}).
 */
public final class ProtectionRequirements {

    private ProtectionRequirements() {
    }

    /**
     * Reads required protection.
     *
     * @param text the pairs; null or blank for none
     * @return grade code → accepted methods, in the order written
     * @throws IllegalArgumentException naming the pair that is wrong and how to write it
     */
    public static Map<String, Set<ProtectionMethod>> parse(final String text) {
        final Map<String, Set<ProtectionMethod>> requirements = new LinkedHashMap<>();
        pairs(text, "GRADE=METHOD|METHOD, e.g. L3=MASK|ENCRYPT").forEach((grade, methods) -> requirements.put(grade, methods(methods)));
        return requirements;
    }

    /**
     * The {@code GRADE=...} pairs of a comma-separated text, in the order written: grade code → what follows the
     * {@code =}, stripped. Empty for null or blank text.
     *
     * @param form how a pair is written, for the message when one is not
     * @throws IllegalArgumentException for a pair without a grade or an {@code =}, or a grade listed twice
     */
    static Map<String, String> pairs(final String text, final String form) {
        final Map<String, String> pairs = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return pairs;
        }
        for (final String pair : text.split(",")) {
            final String entry = pair.strip();
            if (entry.isEmpty()) {
                continue;
            }
            final int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + entry + "' is not " + form);
            }
            final String grade = entry.substring(0, eq).strip();
            if (pairs.put(grade, entry.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("Grade " + grade + " is listed twice");
            }
        }
        return pairs;
    }

    /** The methods of {@code METHOD|METHOD}. */
    static Set<ProtectionMethod> methods(final String text) {
        final Set<ProtectionMethod> methods = EnumSet.noneOf(ProtectionMethod.class);
        for (final String method : text.split("\\|")) {
            methods.add(ProtectionMethod.find(method).orElseThrow(() -> new IllegalArgumentException(
                    "Protection method '" + method + "' is not one of " + Arrays.toString(ProtectionMethod.values()))));
        }
        return methods;
    }

    /** The text form, e.g. {@code L3=MASK|ENCRYPT, L4=ENCRYPT}; empty for none. */
    public static String format(final Map<String, Set<ProtectionMethod>> requirements) {
        return requirements.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().stream().map(Enum::name).collect(Collectors.joining("|")))
                .collect(Collectors.joining(", "));
    }

    /** The method names, for property descriptions. */
    public static List<String> methodNames() {
        return Arrays.stream(ProtectionMethod.values()).map(Enum::name).toList();
    }
}
