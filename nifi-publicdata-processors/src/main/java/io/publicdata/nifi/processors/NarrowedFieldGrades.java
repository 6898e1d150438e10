package io.publicdata.nifi.processors;

import io.publicdata.nifi.classify.FieldGrade;
import io.publicdata.nifi.classify.FieldGrades;
import io.publicdata.nifi.classify.GradeLadder;
import io.publicdata.nifi.grant.PermittedFields;
import io.publicdata.nifi.path.FieldPath;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The field grades ({@code publicdata.fields}) an authorized FlowFile carries: those of the fields the grant permits
 * whole. The FlowFiles of one flow mostly carry the same field grades (one schema, one ClassifyRecord), so each
 * distinct text is read and narrowed once per permitted fields and the result remembered; the result is what reading
 * and narrowing it again would give. Holds at most {@value #MAXIMUM_REMEMBERED} texts. Thread-safe.
 */
final class NarrowedFieldGrades {

    static final int MAXIMUM_REMEMBERED = 64;

    /** The permitted fields and ladder are compared by identity: one grant's (or one request's) are the same objects. */
    private record Key(PermittedFields permitted, GradeLadder ladder, String fields) {

        @Override
        public boolean equals(final Object other) {
            return other instanceof Key key && key.permitted == permitted && key.ladder == ladder && key.fields.equals(fields);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * System.identityHashCode(permitted) + System.identityHashCode(ladder)) + fields.hashCode();
        }
    }

    private final Map<Key, Optional<String>> remembered = new ConcurrentHashMap<>();

    /**
     * The field grades of the fields permitted whole, as {@code publicdata.fields} JSON; empty when the text cannot be
     * read as field grades on this ladder (none is better than wrong ones).
     */
    Optional<String> narrow(final String fields, final PermittedFields permitted, final GradeLadder ladder) {
        final Key key = new Key(permitted, ladder, fields);
        final Optional<String> known = remembered.get(key);
        if (known != null) {
            return known;
        }
        final Optional<String> narrowed = compute(fields, permitted, ladder);
        if (remembered.size() >= MAXIMUM_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(key, narrowed);
        return narrowed;
    }

    private static Optional<String> compute(final String fields, final PermittedFields permitted, final GradeLadder ladder) {
        try {
            final Map<FieldPath, FieldGrade> kept = new HashMap<>(FieldGrades.fromJson(fields, ladder).byPath());
            kept.keySet().removeIf(path -> permitted.access(path) != PermittedFields.Access.ALL);
            return Optional.of(new FieldGrades(kept).toJson());
        } catch (final IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
