package io.publicdata.nifi.services;

import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.controller.ControllerService;
import org.apache.nifi.processor.exception.ProcessException;

import java.util.Optional;

/**
 * The resource catalog (资源目录): per dataset its catalog code, registration (登记), open type (开放类型) and data items
 * (数据项) with their grades. ClassifyRecord grades a dataset's data items as the catalog says; EnforceGrantScope denies
 * datasets that are not registered or not to be opened. An entry travels as JSON text in the catalog format
 * (docs/catalog.md), so that implementations in other NARs need none of nifi-publicdata's classes.
 */
@Tags({"catalog", "registration", "public data", "资源目录", "登记", "开放目录"})
@CapabilityDescription("Provides the resource catalog (资源目录) entries of datasets to nifi-publicdata processors.")
public interface PublicDataCatalog extends ControllerService {

    /**
     * The catalog entry of a dataset, as one JSON object of the catalog format (an item of "datasets" in
     * docs/catalog.schema.json), as the catalog holds it now.
     *
     * @param catalogCode the dataset's catalog code (资源目录编码), as in the attribute publicdata.dataset
     * @return the entry, or empty when the catalog has no dataset with this code
     * @throws ProcessException when the catalog cannot be read now; callers fail closed
     */
    Optional<String> dataset(String catalogCode);
}
