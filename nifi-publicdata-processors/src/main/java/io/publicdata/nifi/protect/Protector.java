package io.publicdata.nifi.protect;

import io.publicdata.nifi.classify.Detector;
import io.publicdata.nifi.classify.Labels;
import io.publicdata.nifi.classify.TextShape;

import java.util.ArrayList;
import java.util.Comparator;
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
    private final List<Detector> detectors;
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
        this.detectors = List.copyOf(detectors);
        this.cipher = cipher;
        this.fpe = fpe;
        this.pseudonymizer = pseudonymizer;
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
     * Masks a text: with an explicit masking the whole text; else each identifier detectors find inside it with its
     * label's masking (a phone number inside a remark, the rest of the remark kept); else the whole text with the
     * masking of the field's first label that has one.
     */
    private String mask(final Masking explicit, final SortedSet<String> labels, final String text) {
        if (explicit != null) {
            return explicit.apply(text);
        }
        record Span(int start, int end, Masking masking) {
        }
        final List<Span> spans = new ArrayList<>();
        // One look at the text's shape spares most values (names, addresses) the detectors' scans
        final TextShape shape = TextShape.of(text);
        if (shape.mayHoldIdentifier()) {
            for (final Detector detector : detectors) {
                if (detector.mayOccurIn(shape)) {
                    final Masking masking = maskings.getOrDefault(detector.label(), FALLBACK_MASKING);
                    detector.find(shape, (start, end) -> spans.add(new Span(start, end, masking)));
                }
            }
        }
        if (spans.isEmpty()) {
            final Masking masking = labels.stream().map(maskings::get).filter(m -> m != null).findFirst().orElse(FALLBACK_MASKING);
            return masking.apply(text);
        }
        spans.sort(Comparator.comparingInt(Span::start).thenComparingInt(span -> -span.end()));
        final StringBuilder masked = new StringBuilder(text.length());
        int done = 0;
        for (final Span span : spans) {
            if (span.start() >= done) {
                masked.append(text, done, span.start()).append(span.masking().apply(text.substring(span.start(), span.end())));
                done = span.end();
            }
        }
        return masked.append(text, done, text.length()).toString();
    }

    private static <T> T require(final T tool, final String method) {
        if (tool == null) {
            throw new ProtectionException(method + " needs a key, but no Key Provider is configured");
        }
        return tool;
    }
}
