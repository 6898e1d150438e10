package io.publicdata.nifi.processors;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
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
    public Collection<Object> values() {
        // The writer walks the values of every record (MapRecord.getSerializedForm); spare it the entry views
        return new AbstractCollection<>() {
            @Override
            public Iterator<Object> iterator() {
                return followedBy(values.values().iterator(), value);
            }

            @Override
            public int size() {
                return ValuesWithMember.this.size();
            }
        };
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return followedBy(values.entrySet().iterator(), new SimpleImmutableEntry<>(key, value));
            }

            @Override
            public int size() {
                return ValuesWithMember.this.size();
            }
        };
    }

    private static <T> Iterator<T> followedBy(final Iterator<T> first, final T last) {
        return new Iterator<>() {
            private boolean lastDone;

            @Override
            public boolean hasNext() {
                return first.hasNext() || !lastDone;
            }

            @Override
            public T next() {
                if (first.hasNext()) {
                    return first.next();
                }
                if (lastDone) {
                    throw new NoSuchElementException();
                }
                lastDone = true;
                return last;
            }
        };
    }
}
