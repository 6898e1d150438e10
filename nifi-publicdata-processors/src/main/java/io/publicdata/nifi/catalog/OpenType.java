package io.publicdata.nifi.catalog;

/** How a dataset may be opened (开放类型), as its catalog entry says. */
public enum OpenType implements CatalogTerm {
    /** May be opened to anyone (无条件开放). */
    UNCONDITIONAL("无条件开放"),
    /** May be opened under conditions, e.g. through a grant (有条件开放). */
    CONDITIONAL("有条件开放"),
    /** Must not be opened (不予开放): no grant authorizes it. */
    NOT_OPEN("不予开放");

    private final String term;

    OpenType(final String term) {
        this.term = term;
    }

    @Override
    public String term() {
        return term;
    }

    /** @throws IllegalArgumentException listing the open types */
    public static OpenType parse(final String text) {
        return CatalogTerm.parse(OpenType.class, text, "Open type");
    }
}
