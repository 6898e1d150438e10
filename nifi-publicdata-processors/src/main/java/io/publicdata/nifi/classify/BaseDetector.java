package io.publicdata.nifi.classify;

/** Label and default grade of a detector. */
abstract class BaseDetector extends Detector {

    private final String label;
    private final int defaultRank;

    BaseDetector(final String label, final int defaultRank) {
        this.label = label;
        this.defaultRank = defaultRank;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public int defaultRank() {
        return defaultRank;
    }

    @Override
    public String toString() {
        return label;
    }
}
