package io.publicdata.nifi.services;

import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TestStandardPublicDataKeyProvider {

    private static final String K1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String K2 = "0123456789abcdeffedcba9876543210";

    /** Only there so that a TestRunner can host the controller service. */
    public static class Host extends AbstractProcessor {
        @Override
        public void onTrigger(final ProcessContext context, final ProcessSession session) {
        }
    }

    private TestRunner runner;
    private StandardPublicDataKeyProvider provider;

    @BeforeEach
    void setUp() throws InitializationException {
        runner = TestRunners.newTestRunner(Host.class);
        provider = new StandardPublicDataKeyProvider();
        runner.addControllerService("keys", provider);
    }

    private void enable(final String active) {
        runner.setProperty(provider, "key.k1", K1);
        runner.setProperty(provider, "key.k2", K2);
        runner.setProperty(provider, StandardPublicDataKeyProvider.ACTIVE_KEY_ID, active);
        runner.enableControllerService(provider);
    }

    @Test
    void givesKeyBytesByIdAndTheActiveId() {
        enable("k2");
        assertEquals("k2", provider.activeKeyId());
        assertEquals(Set.of("k1", "k2"), provider.keyIds());
        assertArrayEquals(HexFormat.of().parseHex(K1), provider.key("k1").orElseThrow());
        assertArrayEquals(HexFormat.of().parseHex(K2), provider.key("k2").orElseThrow());
        assertEquals(Optional.empty(), provider.key("k3"));
        assertEquals(Optional.empty(), provider.key("K1"), "ids are case-sensitive: a misspelt id finds no key");
    }

    @Test
    void aCallerThatZeroesItsCopyDoesNotZeroTheKey() {
        enable("k1");
        final byte[] copy = provider.key("k1").orElseThrow();
        Arrays.fill(copy, (byte) 0);
        assertArrayEquals(HexFormat.of().parseHex(K1), provider.key("k1").orElseThrow());
    }

    @Test
    void aDisabledProviderGivesNoKeys() {
        enable("k1");
        runner.disableControllerService(provider);
        assertThrows(IllegalStateException.class, () -> provider.key("k1"));
        assertThrows(IllegalStateException.class, provider::activeKeyId);
    }

    @Test
    void anActiveIdWithoutItsKeyIsInvalid() {
        runner.setProperty(provider, "key.k1", K1);
        runner.setProperty(provider, StandardPublicDataKeyProvider.ACTIVE_KEY_ID, "k3");
        runner.assertNotValid(provider);
    }

    /** Other NARs implement or use the service APIs with this API NAR as their only parent: JDK types only. */
    @Test
    void serviceInterfacesSpeakInJdkTypesOnly() {
        final List<String> foreign = new ArrayList<>();
        for (final Class<?> api : List.of(PublicDataKeyProvider.class, PublicDataCatalog.class)) {
            for (final Method method : api.getDeclaredMethods()) {
                final List<Type> types = new ArrayList<>(List.of(method.getGenericParameterTypes()));
                types.add(method.getGenericReturnType());
                types.forEach(type -> collectForeign(api.getSimpleName() + "." + method.getName(), type, foreign));
            }
        }
        assertEquals(List.of(), foreign);
    }

    private static void collectForeign(final String where, final Type type, final List<String> foreign) {
        if (type instanceof ParameterizedType parameterized) {
            collectForeign(where, parameterized.getRawType(), foreign);
            for (final Type argument : parameterized.getActualTypeArguments()) {
                collectForeign(where, argument, foreign);
            }
        } else if (type instanceof Class<?> plain) {
            final Class<?> component = plain.isArray() ? plain.getComponentType() : plain;
            if (!component.isPrimitive() && !component.getName().startsWith("java.")) {
                foreign.add(where + " uses " + component.getName());
            }
        } else {
            foreign.add(where + " uses " + type);
        }
    }
}
