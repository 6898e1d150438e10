package io.publicdata.nifi.protect;

import io.publicdata.nifi.classify.Detector;
import io.publicdata.nifi.classify.Labels;
import io.publicdata.nifi.classify.TextShape;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * Applies a protection method to one value. Immutable and thread-safe: built once when a processor starts, from
 * the keys and options it was configured with.
 */
public final class Protector {

    /** Masking per label when nothing else is configured: ID 6+4, mobile 3+4, bank card 6+4, name keeps the surname. */
    public static final Map<String, Masking> DEFAULT_MASKINGS = Map.of(
            Labels.PERSONAL_ID, Masking.keep(6, 4),
            Labels.MOBILE, Masking.keep(3, 4),
            Labels.BANK_CARD, Masking.keep(6, 4),
            Labels.PERSON_NAME, Masking.keep(1, 0),
            Labels.EMAIL, new Masking(1, 0, '*', true),
            Labels.CREDIT_CODE, Masking.keep(8, 2),
            Labels.PASSPORT, Masking.keep(1, 3),
            Labels.VEHICLE_PLATE, Masking.keep(2, 1),
            Labels.ADDRESS, Masking.keep(6, 0));

    /** Masking of a value no label describes. */
    public static final Masking FALLBACK_MASKING = Masking.keep(1, 1);

    private final Map<String, Masking> maskings;
    /** The mask character the maskings were configured with. */
    private final int maskCharacter;
    private final List<Detector> detectors;
    private final java.util.Set<String> detectorLabels;
    private final FieldCipher cipher;
    private final FormatPreservingCipher fpe;
    private final Pseudonymizer pseudonymizer;

    /**
     * @param maskings      masking per label (see {@link #DEFAULT_MASKINGS})
     * @param detectors     finds identifiers inside free text, so that MASK hides only them
     * @param cipher        for ENCRYPT; null when no key is configured
     * @param fpe           for FPE; null when no key is configured
     * @param pseudonymizer for PSEUDONYMIZE; null when no key is configured
     */
    public Protector(final Map<String, Masking> maskings, final List<Detector> detectors, final FieldCipher cipher,
                     final FormatPreservingCipher fpe, final Pseudonymizer pseudonymizer) {
        this.maskings = Map.copyOf(maskings);
        this.maskCharacter = maskings.values().stream().findFirst().map(Masking::maskCharacter).orElse((int) '*');
        this.detectors = List.copyOf(detectors);
        this.detectorLabels = detectors.stream().map(Detector::label).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.cipher = cipher;
        this.fpe = fpe;
        this.pseudonymizer = pseudonymizer;
    }

    /** Overwrites every key it holds with zeros: when the processor stops. */
    public void destroy() {
        if (cipher != null) {
            cipher.destroy();
        }
        if (fpe != null) {
            fpe.destroy();
        }
        if (pseudonymizer != null) {
            pseudonymizer.destroy();
        }
    }

    public FormatPreservingCipher fpe() {
        return fpe;
    }

    public Pseudonymizer pseudonymizer() {
        return pseudonymizer;
    }

    public FieldCipher cipher() {
        return cipher;
    }

    /**
     * The protected form of a non-null value of a field; null for REDACT and DROP.
     *
     * @param binding where the value belongs: ENCRYPT and FPE bind their output to it
     * @param labels  what classification found in the field (chooses the masking)
     * @throws ProtectionException naming the cause, never the value
     */
    public String protect(final FieldCipher.Binding binding, final MethodSpec spec, final SortedSet<String> labels, final Object value) {
        return switch (spec.method()) {
            case REDACT, DROP -> null;
            case MASK -> mask(spec.masking(), labels, value.toString());
            case GENERALIZE -> (spec.generalization() == null ? Generalization.DEFAULT : spec.generalization()).apply(value);
            case PSEUDONYMIZE -> require(pseudonymizer, "PSEUDONYMIZE").pseudonym(value.toString());
            case ENCRYPT -> require(cipher, "ENCRYPT").encrypt(binding, value.toString());
            case FPE -> require(fpe, "FPE").encrypt(binding, value.toString());
        };
    }

    /**
     * Masks a text so that nothing is left in clear that either of these would hide: the field's own convention over the
     * whole text (an explicit masking, else the convention of each of the field's labels that describes this value: a
     * rule's or name hint's label, or a detector's label when the detector finds it in this value; else
     * {@link #FALLBACK_MASKING} when nothing else applies), and each identifier detectors find inside it, with its label's
     * convention. A name with a phone inside loses both
     * the given name and the phone; an address with a phone keeps only its region prefix. The detectors read the
     * normalised text; what they find is masked in the original characters that wrote it (separators, zero-width and
     * full-width characters included).
     */
    private String mask(final Masking explicit, final SortedSet<String> labels, final String text) {
        final int length = text.codePointCount(0, text.length());
        final boolean[] hidden = new boolean[length];
        // One look at the text's shape spares most values (names, addresses) the detectors' scans
        final TextShape shape = TextShape.of(text);
        final java.util.Set<String> found = new java.util.HashSet<>(4);
        if (shape.mayHoldIdentifier()) {
            for (final Detector detector : detectors) {
                if (detector.mayOccurIn(shape)) {
                    final Masking masking = maskings.getOrDefault(detector.label(), FALLBACK_MASKING);
                    detector.find(shape, (start, end) -> {
                        final int from = shape.originalStart(start);
                        final int to = shape.originalEnd(end);
                        or(hidden, text.codePointCount(0, from), masking.hidden(text.substring(from, to)));
                        found.add(detector.label());
                    });
                }
            }
        }
        boolean conventional = false;
        if (explicit != null) {
            or(hidden, 0, explicit.hidden(text));
            conventional = true;
        } else {
            for (final String label : labels) {
                final Masking masking = maskings.get(label);
                // A detector's label names what this value holds only when the detector finds it here: a field labelled
                // MOBILE by another record's value does not give a name without a phone the 3 + 4 convention
                if (masking != null && (!detectorLabels.contains(label) || found.contains(label))) {
                    or(hidden, 0, masking.hidden(text));
                    conventional = true;
                }
            }
        }
        if (!conventional && found.isEmpty()) {
            or(hidden, 0, FALLBACK_MASKING.hidden(text));
        }
        return masked(text, hidden);
    }

    /** The text with the mask character for each hidden code point. */
    private String masked(final String text, final boolean[] hidden) {
        if (hidden.length == text.length() && Character.isBmpCodePoint(maskCharacter)) {
            // One char per code point (no surrogate pair), the common case: replace chars in place
            final char[] chars = text.toCharArray();
            for (int i = 0; i < chars.length; i++) {
                if (hidden[i]) {
                    chars[i] = (char) maskCharacter;
                }
            }
            return new String(chars);
        }
        final StringBuilder masked = new StringBuilder(text.length());
        int point = 0;
        for (int i = 0; i < text.length(); point++) {
            final int codePoint = text.codePointAt(i);
            masked.appendCodePoint(hidden[point] ? maskCharacter : codePoint);
            i += Character.charCount(codePoint);
        }
        return masked.toString();
    }

    private static void or(final boolean[] hidden, final int offset, final boolean[] more) {
        for (int i = 0; i < more.length; i++) {
            hidden[offset + i] |= more[i];
        }
    }

    private static <T> T require(final T tool, final String method) {
        if (tool == null) {
            throw new ProtectionException(method + " needs a key, but no Key Provider is configured");
        }
        return tool;
    }
}
