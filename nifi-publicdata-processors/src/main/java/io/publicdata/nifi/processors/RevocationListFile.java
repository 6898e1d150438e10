package io.publicdata.nifi.processors;

import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.GrantException;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.grant.RevocationList;
import io.publicdata.nifi.grant.RevocationListDocument;
import io.publicdata.nifi.grant.UseCheck;
import io.publicdata.nifi.grant.UseContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.PublicKey;
import java.time.Instant;

/**
 * The authority's signed revocation list, read from a file and read again whenever the file changes (its size or
 * modification time), without a restart: a use check that denies a revoked grant ({@link DenyCode#GRANT_REVOKED}),
 * and every use while the list is stale ({@link DenyCode#REVOCATION_LIST_STALE}) or cannot be used
 * ({@link DenyCode#REVOCATION_LIST_INVALID}, e.g. replaced by a forged one). Thread-safe.
 */
final class RevocationListFile implements UseCheck {

    private final Path path;
    private final PublicKey key;
    private volatile Loaded loaded;

    /** The list as read from one version of the file, or why it cannot be used. */
    private record Loaded(FileTime modified, long size, RevocationList list, Decision unusable) {
    }

    RevocationListFile(final Path path, final PublicKey key) {
        this.path = path;
        this.key = key;
    }

    /**
     * Reads and verifies a list.
     *
     * @throws GrantException {@link DenyCode#REVOCATION_LIST_INVALID} when it cannot be read or does not verify
     */
    static RevocationList read(final Path path, final PublicKey key) throws GrantException {
        final byte[] document;
        try {
            document = Files.readAllBytes(path);
        } catch (final IOException e) {
            throw new GrantException(DenyCode.REVOCATION_LIST_INVALID, "the revocation list " + path + " cannot be read: " + e.getMessage());
        }
        return RevocationListDocument.verify(document, key);
    }

    @Override
    public Decision check(final GrantScope scope, final UseContext use, final Instant at) {
        final Loaded current = current();
        return current.unusable() != null ? current.unusable() : current.list().check(scope.grant(), at);
    }

    /** The list of the file as it is now, read again if it changed. */
    RevocationList list() throws GrantException {
        final Loaded current = current();
        if (current.unusable() != null) {
            throw new GrantException(current.unusable().code(), current.unusable().reason());
        }
        return current.list();
    }

    private Loaded current() {
        FileTime modified = null;
        long size = -1;
        try {
            final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            modified = attributes.lastModifiedTime();
            size = attributes.size();
        } catch (final IOException e) {
            // Read below: the reason is the read's
        }
        final Loaded seen = loaded;
        if (seen != null && modified != null && modified.equals(seen.modified()) && size == seen.size()) {
            return seen;
        }
        synchronized (this) {
            if (loaded != null && modified != null && modified.equals(loaded.modified()) && size == loaded.size()) {
                return loaded;
            }
            Loaded fresh;
            try {
                fresh = new Loaded(modified, size, read(path, key), null);
            } catch (final GrantException e) {
                fresh = new Loaded(modified, size, null, Decision.deny(DenyCode.REVOCATION_LIST_INVALID, e.getMessage()));
            }
            loaded = fresh;
            return fresh;
        }
    }
}
