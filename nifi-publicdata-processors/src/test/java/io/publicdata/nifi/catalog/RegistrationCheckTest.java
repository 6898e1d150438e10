package io.publicdata.nifi.catalog;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every registration status and open type, and a use naming no dataset or one outside the catalog. */
class RegistrationCheckTest {

    private static Dataset dataset(final OpenType openType, final Registration registration) {
        return new Dataset("d1", "企业登记信息", "市场监管局", "市场监管", openType, registration, UpdateCycle.DAILY, List.of());
    }

    private static final Registration REGISTERED = new Registration("R-1", RegistrationStatus.REGISTERED, LocalDate.of(2025, 3, 1));

    private static String check(final Dataset dataset) {
        return RegistrationCheck.check("d1", Optional.of(dataset)).toString();
    }

    @Test
    void registeredAndOpenablePasses() {
        assertEquals("PERMIT", check(dataset(OpenType.CONDITIONAL, REGISTERED)));
        assertEquals("PERMIT", check(dataset(OpenType.UNCONDITIONAL, REGISTERED)));
    }

    @Test
    void notRegisteredIsDenied() {
        assertEquals("DATASET_NOT_REGISTERED: dataset d1 is not registered (未登记) in the resource catalog",
                check(dataset(OpenType.UNCONDITIONAL, Registration.unregistered())));
        assertEquals("DATASET_NOT_REGISTERED: the registration R-1 of dataset d1 was cancelled (已注销) on 2025-09-30",
                check(dataset(OpenType.CONDITIONAL, new Registration("R-1", RegistrationStatus.CANCELLED, LocalDate.of(2025, 9, 30)))));
        assertEquals("DATASET_NOT_REGISTERED: dataset d9 is not in the resource catalog (资源目录)",
                RegistrationCheck.check("d9", Optional.empty()).toString());
    }

    @Test
    void notToBeOpenedIsDeniedEvenWhenRegistered() {
        assertEquals("DATASET_NOT_OPEN: dataset d1 is not to be opened (不予开放) according to the resource catalog; no grant authorizes its use",
                check(dataset(OpenType.NOT_OPEN, REGISTERED)));
    }

    @Test
    void notRegisteredComesFirstWhenBothHold() {
        assertEquals("DATASET_NOT_REGISTERED: dataset d1 is not registered (未登记) in the resource catalog",
                check(dataset(OpenType.NOT_OPEN, Registration.unregistered())));
    }

    @Test
    void aUseNamingNoDatasetCannotBeShownRegistered() {
        assertEquals("CONTEXT_MISSING: the use names no dataset (资源目录编码) to look up in the resource catalog",
                RegistrationCheck.check(null, Optional.empty()).toString());
    }
}
