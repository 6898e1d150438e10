package io.publicdata.nifi.risk;

/**
 * Re-identification risk of a data set over its quasi-identifiers.
 *
 * @param records            records counted
 * @param classes            distinct equivalence classes
 * @param k                  size of the smallest class (k-anonymity); 0 for no records
 * @param l                  fewest distinct sensitive values in a class (l-diversity); 0 when not measured or no records
 * @param riskyClasses       classes below the k or l threshold
 * @param recordsAtRisk      records in those classes
 */
public record RiskReport(long records, long classes, long k, int l, long riskyClasses, long recordsAtRisk) {

    /** Whether no class is below the thresholds the report was made for. */
    public boolean acceptable() {
        return riskyClasses == 0;
    }

    /**
     * One line for provenance and logs, e.g. {@code k-anonymity 1 (minimum 3), l-diversity 1 (minimum 2) over 7 records in
     * 3 classes; 2 classes holding 4 records below threshold}.
     *
     * @param minimumK the k threshold the report was made for
     * @param minimumL the l threshold, or 0 when l-diversity was not measured
     */
    public String describe(final int minimumK, final int minimumL) {
        final StringBuilder line = new StringBuilder("k-anonymity ").append(k).append(" (minimum ").append(minimumK).append(')');
        if (minimumL > 0) {
            line.append(", l-diversity ").append(l).append(" (minimum ").append(minimumL).append(')');
        }
        return line.append(" over ").append(records).append(" records in ").append(classes).append(" classes; ")
                .append(riskyClasses).append(riskyClasses == 1 ? " class holding " : " classes holding ")
                .append(recordsAtRisk).append(recordsAtRisk == 1 ? " record" : " records").append(" below threshold").toString();
    }
}
