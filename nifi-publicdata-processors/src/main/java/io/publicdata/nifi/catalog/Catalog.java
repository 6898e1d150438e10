package io.publicdata.nifi.catalog;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A resource catalog (资源目录): datasets by catalog code. Immutable. */
public final class Catalog {

    private final String title;
    private final Map<String, Dataset> datasets;

    /**
     * @param title    the catalog's title, e.g. 济南市公共数据资源目录; may be null
     * @param datasets its datasets, in catalog order
     * @throws IllegalArgumentException when two datasets share a catalog code
     */
    public Catalog(final String title, final List<Dataset> datasets) {
        this.title = title == null || title.isBlank() ? null : title.strip();
        final Map<String, Dataset> byCode = new LinkedHashMap<>();
        for (final Dataset dataset : datasets) {
            if (byCode.putIfAbsent(dataset.code(), dataset) != null) {
                throw new IllegalArgumentException("catalog code " + dataset.code() + " appears twice");
            }
        }
        this.datasets = Collections.unmodifiableMap(byCode);
    }

    public Optional<String> title() {
        return Optional.ofNullable(title);
    }

    public Optional<Dataset> find(final String code) {
        return Optional.ofNullable(code == null ? null : datasets.get(code));
    }

    /** Every dataset, in catalog order. */
    public Collection<Dataset> datasets() {
        return datasets.values();
    }

    public int itemCount() {
        return datasets.values().stream().mapToInt(d -> d.items().size()).sum();
    }
}
