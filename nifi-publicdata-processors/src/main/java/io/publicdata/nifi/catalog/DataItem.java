package io.publicdata.nifi.catalog;

import io.publicdata.nifi.path.FieldPath;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A data item (数据项) of a dataset: the field it is, and the grade and labels the catalog gives it.
 *
 * @param path   where the item sits in the dataset's records (a field path, e.g. {@code /legalRepresentativeId})
 * @param name   its name in the catalog, e.g. 法定代表人身份证号; may be null
 * @param grade  the code of its grade (分级), e.g. {@code L3}; resolved against the grade ladder of whoever uses it
 * @param labels its labels (分类标签), e.g. {@code PERSONAL_ID}
 */
public record DataItem(FieldPath path, String name, String grade, SortedSet<String> labels) {

    public DataItem {
        Objects.requireNonNull(path, "path");
        if (path.hasAnyDepth() || path.isRoot()) {
            throw new IllegalArgumentException("data item " + path + " must name one field, not a pattern over many or the whole record");
        }
        if (grade == null || grade.isBlank()) {
            throw new IllegalArgumentException("data item " + path + " has no grade");
        }
        grade = grade.strip();
        if (name != null && name.isBlank()) {
            name = null;
        }
        labels = Collections.unmodifiableSortedSet(new TreeSet<>(labels));
        for (final String label : labels) {
            if (label.isBlank() || label.indexOf(',') >= 0) {
                throw new IllegalArgumentException("data item " + path + " has a label that is blank or holds a comma: '" + label + "'");
            }
        }
    }
}
