package io.publicdata.nifi.classify;

import java.util.List;

/** The built-in detectors, in the order they are reported. */
public final class Detectors {

    private static final List<Detector> BUILT_IN = List.of(
            new ResidentIdDetector(),
            new CreditCodeDetector(),
            new MobileDetector(),
            new BankCardDetector(),
            new EmailDetector(),
            new PassportDetector(),
            new VehiclePlateDetector(),
            new IpAddressDetector());

    private Detectors() {
    }

    public static List<Detector> builtIn() {
        return BUILT_IN;
    }

    /**
     * Whether any built-in detector finds an identifier in a text: e.g. in a field name, which is then data (a key) and
     * never part of a path.
     */
    public static boolean holdsIdentifier(final String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        final TextShape shape = TextShape.of(text);
        if (!shape.mayHoldIdentifier()) {
            return false;
        }
        for (final Detector detector : BUILT_IN) {
            if (detector.foundIn(shape)) {
                return true;
            }
        }
        return false;
    }

    /** The built-in detector for a label. */
    public static Detector forLabel(final String label) {
        return BUILT_IN.stream().filter(d -> d.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No built-in detector for label " + label));
    }
}
