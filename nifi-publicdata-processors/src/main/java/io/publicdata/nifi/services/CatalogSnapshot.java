package io.publicdata.nifi.services;

import io.publicdata.nifi.catalog.Catalog;
import io.publicdata.nifi.catalog.CatalogJson;
import io.publicdata.nifi.catalog.Dataset;
import io.publicdata.nifi.catalog.OpenType;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A catalog as loaded, with each dataset's entry already in the JSON form the service interface hands out. */
final class CatalogSnapshot {

    private final Catalog catalog;
    private final Map<String, String> entries;

    CatalogSnapshot(final Catalog catalog) {
        this.catalog = catalog;
        final Map<String, String> byCode = new HashMap<>();
        catalog.datasets().forEach(dataset -> byCode.put(dataset.code(), CatalogJson.write(dataset)));
        this.entries = Map.copyOf(byCode);
    }

    Optional<String> entry(final String catalogCode) {
        return Optional.ofNullable(catalogCode == null ? null : entries.get(catalogCode));
    }

    /** What verification and the log say about a loaded catalog, e.g. "3 datasets (2 registered, 1 不予开放), 12 data items". */
    String summary() {
        final long registered = catalog.datasets().stream().filter(d -> d.registration().inForce()).count();
        final long notOpen = catalog.datasets().stream().map(Dataset::openType).filter(OpenType.NOT_OPEN::equals).count();
        return catalog.datasets().size() + " datasets (" + registered + " registered, " + notOpen + " " + OpenType.NOT_OPEN.term()
                + "), " + catalog.itemCount() + " data items";
    }
}
