package io.publicdata.nifi.catalog;

/** Checks the field path of a data item until the shared FieldPath type is in place. */
final class CatalogPaths {

    private CatalogPaths() {
    }

    static String parse(final String path) {
        if (!path.startsWith("/") || path.length() < 2 || path.contains("//") || path.endsWith("/")) {
            throw new IllegalArgumentException("'" + path + "' is not a field path such as /applicant/idCard");
        }
        return path;
    }
}
