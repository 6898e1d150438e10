package io.publicdata.nifi.processors;

import io.publicdata.nifi.catalog.CatalogJson;
import io.publicdata.nifi.catalog.Dataset;
import io.publicdata.nifi.services.PublicDataCatalog;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.processor.exception.ProcessException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PublicDataCatalog} as the processors use it: each entry it hands out is parsed and checked as strictly as a
 * catalog file, once per version of its text, and must be the entry that was asked for.
 */
final class DatasetCatalog {

    /** The processors' "Catalog" property. */
    static PropertyDescriptor property(final String use) {
        return new PropertyDescriptor.Builder()
                .name("Catalog")
                .description("The resource catalog (资源目录) service. With one, " + use + " The dataset is the FlowFile's publicdata.dataset.")
                .required(false)
                .identifiesControllerService(PublicDataCatalog.class)
                .build();
    }

    /** Parsed entries never outnumber this; the cache starts again when they would. */
    private static final int CACHED_ENTRIES = 1024;

    private final PublicDataCatalog service;
    private final Map<String, Dataset> parsed = new ConcurrentHashMap<>();

    DatasetCatalog(final PublicDataCatalog service) {
        this.service = service;
    }

    /**
     * The catalog entry of a dataset, as the catalog holds it now.
     *
     * @throws ProcessException         when the catalog cannot be read now
     * @throws IllegalArgumentException when the catalog hands out an invalid entry, or one of another dataset
     */
    Optional<Dataset> find(final String code) {
        if (code == null) {
            return Optional.empty();
        }
        final Optional<String> json = service.dataset(code);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        Dataset dataset = parsed.get(json.get());
        if (dataset == null) {
            try {
                dataset = CatalogJson.parseDataset(json.get());
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("The catalog's entry for dataset " + code + " is invalid: " + e.getMessage(), e);
            }
            if (parsed.size() >= CACHED_ENTRIES) {
                parsed.clear();
            }
            parsed.put(json.get(), dataset);
        }
        if (!dataset.code().equals(code)) {
            throw new IllegalArgumentException("The catalog answered for dataset " + code + " with the entry of dataset " + dataset.code());
        }
        return Optional.of(dataset);
    }

    /** The publicdata.catalog.* attributes of a dataset: its catalog facts, never data. */
    static Map<String, String> attributes(final Dataset dataset) {
        final Map<String, String> attributes = new HashMap<>();
        attributes.put(PublicDataAttributes.CATALOG_NAME, dataset.name());
        attributes.put(PublicDataAttributes.CATALOG_DEPARTMENT, dataset.department());
        attributes.put(PublicDataAttributes.CATALOG_DOMAIN, dataset.domain());
        attributes.put(PublicDataAttributes.CATALOG_OPEN_TYPE, dataset.openType().name());
        attributes.put(PublicDataAttributes.CATALOG_REGISTRATION, dataset.registration().status().name());
        if (dataset.registration().number() != null) {
            attributes.put(PublicDataAttributes.CATALOG_REGISTRATION_NUMBER, dataset.registration().number());
        }
        if (dataset.registration().date() != null) {
            attributes.put(PublicDataAttributes.CATALOG_REGISTRATION_DATE, dataset.registration().date().toString());
        }
        attributes.put(PublicDataAttributes.CATALOG_UPDATE_CYCLE, dataset.updateCycle().name());
        return attributes;
    }
}
