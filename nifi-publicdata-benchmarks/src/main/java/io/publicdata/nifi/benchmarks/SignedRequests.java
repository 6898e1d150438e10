package io.publicdata.nifi.benchmarks;

import io.publicdata.nifi.grant.PemKeys;
import io.publicdata.nifi.grant.SignatureAlgorithm;
import io.publicdata.nifi.grant.UseRequest;
import io.publicdata.nifi.grant.UseRequestDocument;
import io.publicdata.nifi.processors.EnforceGrantScope;
import io.publicdata.nifi.processors.GrantProperties;
import io.publicdata.nifi.processors.PublicDataAttributes;
import io.publicdata.nifi.processors.RequestReuse;
import io.publicdata.nifi.processors.UseContextFrom;
import io.publicdata.nifi.processors.UseContextProperties;
import org.apache.nifi.util.TestRunner;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The EnforceGrantScope step with a use request signed by the grantee, valid for the hour after the benchmark starts. */
final class SignedRequests {

    private SignedRequests() {
    }

    static Scenarios.Step step(final Consumer<TestRunner> grant) {
        final KeyPair grantee = SignatureAlgorithm.SM2.generateKeyPair();
        final Map<String, String> use = Scenarios.USE_CONTEXT;
        final OffsetDateTime issued = OffsetDateTime.now(ZoneOffset.ofHours(8)).truncatedTo(ChronoUnit.SECONDS);
        final UseRequest request = new UseRequest("RQ-BENCH-1", "GR-BENCH-1", use.get(PublicDataAttributes.USE_GRANTEE),
                List.of(use.get(PublicDataAttributes.DATASET)), use.get(PublicDataAttributes.USE_PURPOSE), "公共治理",
                use.get(PublicDataAttributes.USE_DOMAIN), null, List.of(), issued, issued.plusMinutes(59));
        final String signed;
        try {
            signed = new String(UseRequestDocument.sign(UseRequestDocument.toJson(request), grantee.getPrivate(), grantee.getPublic()),
                    StandardCharsets.UTF_8);
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return new Scenarios.Step(EnforceGrantScope.class, runner -> {
            grant.accept(runner);
            runner.setProperty(GrantProperties.PRICING, "PUBLIC_WELFARE");
            runner.setProperty(GrantProperties.GRANTEE_KEYS, PemKeys.writePublicKey(grantee.getPublic()));
            runner.setProperty(UseContextProperties.USE_CONTEXT_SOURCE, UseContextFrom.SIGNED_USE_REQUEST);
            runner.setProperty(UseContextProperties.REQUEST_REUSE, RequestReuse.UNTIL_EXPIRY);
        }, EnforceGrantScope.REL_AUTHORIZED, Map.of(PublicDataAttributes.DATASET, use.get(PublicDataAttributes.DATASET),
                PublicDataAttributes.USE_REQUEST, signed));
    }
}
