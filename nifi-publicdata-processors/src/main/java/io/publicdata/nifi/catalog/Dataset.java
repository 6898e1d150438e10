package io.publicdata.nifi.catalog;

import io.publicdata.nifi.path.FieldPath;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One dataset of the resource catalog (资源目录): who provides it, how it may be opened, whether it is registered, and
 * its data items.
 *
 * @param code         catalog code (资源目录编码), the dataset's id in {@code publicdata.dataset}
 * @param name         its name (资源名称)
 * @param department   the providing department (数源部门)
 * @param domain       its domain (领域), e.g. 市场监管
 * @param openType     how it may be opened (开放类型)
 * @param registration its registration (资源登记)
 * @param updateCycle  how often it is updated (更新周期)
 * @param items        its data items (数据项), in catalog order
 */
public record Dataset(String code, String name, String department, String domain, OpenType openType,
                      Registration registration, UpdateCycle updateCycle, List<DataItem> items) {

    /** Longest catalog code accepted; codes are written into attributes and lineage events. */
    public static final int MAX_CODE_LENGTH = 128;

    /** @throws IllegalArgumentException naming the dataset and what is wrong with it */
    public Dataset {
        if (!isCatalogCode(code)) {
            throw new IllegalArgumentException("catalog code '" + code + "' must be 1 to " + MAX_CODE_LENGTH
                    + " characters without control characters or surrounding blanks");
        }
        name = required(name, "name", code);
        department = required(department, "department", code);
        domain = required(domain, "domain", code);
        Objects.requireNonNull(openType, "openType");
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(updateCycle, "updateCycle");
        items = List.copyOf(items);
        final Set<FieldPath> paths = new HashSet<>();
        for (final DataItem item : items) {
            if (!paths.add(item.path())) {
                throw new IllegalArgumentException("dataset " + code + " lists data item " + item.path() + " twice");
            }
        }
    }

    /** Whether a text can be a catalog code. */
    public static boolean isCatalogCode(final String code) {
        return code != null && !code.isEmpty() && code.length() <= MAX_CODE_LENGTH && code.equals(code.strip())
                && code.codePoints().noneMatch(Character::isISOControl);
    }

    private static String required(final String value, final String field, final String code) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("dataset " + code + " has no " + field);
        }
        return value.strip();
    }
}
