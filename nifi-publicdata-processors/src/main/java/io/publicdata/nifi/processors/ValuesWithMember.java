package io.publicdata.nifi.processors;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A record's values with one more member after them, read-only, without copying the record's map: adding a
 * field to every record of a large FlowFile then costs one small object per record.
 */
final class ValuesWithMember extends AbstractMap<String, Object> {

    private final Map<String, Object> values;
    private final String key;
    private final Object value;

    /** @param values the record's values, which must not already hold {@code key} */
    ValuesWithMember(final Map<String, Object> values, final String key, final Object value) {
        this.values = values;
        this.key = key;
        this.value = value;
    }

    @Override
    public Object get(final Object name) {
        return key.equals(name) ? value : values.get(name);
    }

    @Override
    public boolean containsKey(final Object name) {
        return key.equals(name) || values.containsKey(name);
    }

    @Override
    public int size() {
        return values.size() + 1;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                final Iterator<Entry<String, Object>> first = values.entrySet().iterator();
                return new Iterator<>() {
                    private boolean memberDone;

                    @Override
                    public boolean hasNext() {
                        return first.hasNext() || !memberDone;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (first.hasNext()) {
                            return first.next();
                        }
                        if (memberDone) {
                            throw new NoSuchElementException();
                        }
                        memberDone = true;
                        return new SimpleImmutableEntry<>(key, value);
                    }
                };
            }

            @Override
            public int size() {
                return ValuesWithMember.this.size();
            }
        };
    }

}
