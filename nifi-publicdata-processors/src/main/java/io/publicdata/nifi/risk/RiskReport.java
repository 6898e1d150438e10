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

    /** One line for provenance and logs, e.g. {@code k=3, l=2 over 1000 records in 120 classes; 0 classes below threshold}. */
    public String describe() {
        return "k=" + k + ", l=" + l + " over " + records + " records in " + classes + " classes; " + riskyClasses
                + " classes (" + recordsAtRisk + " records) below threshold";
    }
}
