package io.publicdata.nifi.processors;

import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;
import io.publicdata.nifi.grant.GrantException;
import io.publicdata.nifi.grant.GrantScope;
import io.publicdata.nifi.grant.UseRequest;
import io.publicdata.nifi.grant.UseRequestDocument;
import org.apache.nifi.flowfile.attributes.CoreAttributes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The use context from a use request signed by the grantee (用途申请), carried in an attribute: the request must verify
 * with a key the grant names for its grantee, lie inside the grant, be valid now and for no longer than allowed, ask
 * for the dataset the data comes from, and not have been used before (replay). Its values are then the use context,
 * and the grant applies narrowed to the fields it asks for. Provenance learns its id and purpose only.
 *
 * <p>Verification is cached per signed request (by the digest of its exact bytes), so FlowFiles presenting the same
 * request cost one signature check; the cache holds at most as many requests as the replay memory and drops expired
 * ones first. Thread-safe.
 */
final class SignedRequestUseContext implements UseContextSource {

    private final String requestAttribute;
    private final String datasetAttribute;
    private final Duration maximumValidity;
    private final RequestReuse reuse;
    private final RequestReplayMemory replays;
    private final int maximumCached;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private volatile GranteeKeys granteeKeys;

    /** The grantee keys a grant names, read. */
    private record GranteeKeys(GrantScope scope, List<PublicKey> keys) {
    }

    /** A request that verified, with the grant as it applies to it. */
    private record Verified(UseRequest request, GrantScope scope) {
    }

    SignedRequestUseContext(final String requestAttribute, final String datasetAttribute, final Duration maximumValidity,
                            final RequestReuse reuse, final RequestReplayMemory replays, final int maximumCached) {
        this.requestAttribute = requestAttribute;
        this.datasetAttribute = datasetAttribute;
        this.maximumValidity = maximumValidity;
        this.reuse = reuse;
        this.replays = replays;
        this.maximumCached = maximumCached;
    }

    @Override
    public Result contextOf(final Map<String, String> attributes, final GrantScope scope, final Instant at) {
        final String text = attributes.get(requestAttribute);
        if (text == null || text.isBlank()) {
            return new Refused(Decision.deny(DenyCode.REQUEST_MISSING, "the FlowFile carries no signed use request ("
                    + requestAttribute + ")"));
        }
        final String digest = digest(text);
        Verified request = verified.get(digest);
        if (request == null) {
            try {
                final UseRequest read = UseRequestDocument.verify(text.getBytes(StandardCharsets.UTF_8), granteeKeys(scope));
                final Decision inside = read.checkInside(scope);
                if (!inside.permitted()) {
                    return new Refused(inside);
                }
                request = new Verified(read, read.narrow(scope));
            } catch (final GrantException e) {
                return new Refused(e.decision());
            } catch (final IllegalArgumentException e) {
                return new Refused(Decision.deny(DenyCode.REQUEST_INVALID, e.getMessage()));
            }
            remember(digest, request, at);
        }
        final UseRequest useRequest = request.request();
        final Decision time = useRequest.checkTime(at, maximumValidity);
        if (!time.permitted()) {
            return new Refused(time);
        }
        final String dataset = attributes.get(datasetAttribute);
        final Decision data = useRequest.checkDataset(dataset);
        if (!data.permitted()) {
            return new Refused(data);
        }
        final String flowFileId = attributes.get(CoreAttributes.UUID.key());
        final String holder = reuse == RequestReuse.ONE_FLOWFILE && flowFileId != null ? flowFileId : digest;
        return new Known(useRequest.context(dataset.strip()), "request " + useRequest.id() + " for " + useRequest.purpose(), request.scope(),
                () -> replays.claim(useRequest.id(), useRequest.validUntil().toInstant(), holder, at));
    }

    /** The grantee keys of the grant, read once per grant. */
    private List<PublicKey> granteeKeys(final GrantScope scope) {
        GranteeKeys keys = granteeKeys;
        if (keys == null || keys.scope() != scope) {
            keys = new GranteeKeys(scope, scope.grant().granteePublicKeys());
            granteeKeys = keys;
        }
        return keys.keys();
    }

    private void remember(final String digest, final Verified request, final Instant at) {
        if (verified.size() >= maximumCached) {
            verified.values().removeIf(entry -> !at.isBefore(entry.request().validUntil().toInstant()));
        }
        if (verified.size() < maximumCached) {
            verified.put(digest, request);
        }
    }

    private static String digest(final String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
