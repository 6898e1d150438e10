package io.publicdata.nifi.risk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The equivalence classes of a data set over its quasi-identifiers (准标识符): records that share the same
 * quasi-identifier values cannot be told apart by someone who links the release with other data (数据汇聚关联风险).
 * k-anonymity is the size of the smallest class; l-diversity the fewest distinct sensitive values in a class.
 *
 * <p>Memory grows with the number of distinct classes, not records; a limit bounds it. Not thread-safe: one per
 * data set.
 */
public final class EquivalenceClasses {

    private final int maxClasses;
    private final Map<List<String>, Group> groups = new HashMap<>();
    private long records;

    /** @param maxClasses how many distinct classes may be held before {@link #add} refuses more */
    public EquivalenceClasses(final int maxClasses) {
        if (maxClasses < 1) {
            throw new IllegalArgumentException("The class limit must be at least 1");
        }
        this.maxClasses = maxClasses;
    }

    /**
     * Counts one record.
     *
     * @param quasiIdentifiers its quasi-identifier values, in a fixed order (null for a missing value)
     * @param sensitive        its sensitive value, or null when l-diversity is not measured
     * @throws IllegalStateException when the record would open a class beyond the limit
     */
    public void add(final List<String> quasiIdentifiers, final String sensitive) {
        Group group = groups.get(quasiIdentifiers);
        if (group == null) {
            if (groups.size() >= maxClasses) {
                throw new IllegalStateException("More than " + maxClasses + " equivalence classes: raise the limit or choose "
                        + "coarser quasi-identifiers (generalise them first)");
            }
            group = new Group();
            groups.put(new ArrayList<>(quasiIdentifiers), group);
        }
        group.size++;
        if (sensitive != null && group.sensitive.size() <= Group.DIVERSITY_CAP) {
            group.sensitive.add(sensitive);
        }
        records++;
    }

    /** Size of the class these quasi-identifier values belong to (0 when unseen). */
    public long sizeOf(final List<String> quasiIdentifiers) {
        final Group group = groups.get(quasiIdentifiers);
        return group == null ? 0 : group.size;
    }

    /** What the classes say about re-identification risk, judged against k and l thresholds. */
    public RiskReport report(final int k, final int l) {
        long smallest = records == 0 ? 0 : Long.MAX_VALUE;
        int leastDiverse = records == 0 ? 0 : Integer.MAX_VALUE;
        long below = 0;
        long belowRecords = 0;
        for (final Group group : groups.values()) {
            smallest = Math.min(smallest, group.size);
            leastDiverse = Math.min(leastDiverse, group.sensitive.size());
            if (group.size < k || group.sensitive.size() < l) {
                below++;
                belowRecords += group.size;
            }
        }
        return new RiskReport(records, groups.size(), smallest, leastDiverse, below, belowRecords);
    }

    /** Whether a class meets both thresholds. */
    public boolean meets(final List<String> quasiIdentifiers, final int k, final int l) {
        final Group group = groups.get(quasiIdentifiers);
        return group != null && group.size >= k && group.sensitive.size() >= l;
    }

    private static final class Group {
        /** Distinct sensitive values counted per class; beyond this any l threshold worth asking is met. */
        private static final int DIVERSITY_CAP = 1_000;
        private long size;
        private final Set<String> sensitive = new HashSet<>();
    }
}
