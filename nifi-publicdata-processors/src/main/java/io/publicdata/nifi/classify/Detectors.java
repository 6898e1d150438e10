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

    /** The built-in detector for a label. */
    public static Detector forLabel(final String label) {
        return BUILT_IN.stream().filter(d -> d.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No built-in detector for label " + label));
    }
}
