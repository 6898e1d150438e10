package io.publicdata.nifi.catalog;

import io.publicdata.nifi.grant.Decision;
import io.publicdata.nifi.grant.DenyCode;

import java.util.Optional;

/**
 * What the resource catalog says of a use, whatever a grant says: only registered (已登记) datasets are used
 * (clause 3(4)), and datasets marked 不予开放 are never opened (clause 5(12)).
 */
public final class RegistrationCheck {

    private RegistrationCheck() {
    }

    /**
     * @param code  the dataset the use names (publicdata.dataset); null when it names none
     * @param entry its catalog entry; empty when the catalog has no dataset with this code
     * @return PERMIT, or DATASET_NOT_REGISTERED / DATASET_NOT_OPEN / CONTEXT_MISSING with the reason
     */
    public static Decision check(final String code, final Optional<Dataset> entry) {
        if (code == null) {
            return Decision.deny(DenyCode.CONTEXT_MISSING, "the use names no dataset (资源目录编码) to look up in the resource catalog");
        }
        if (entry.isEmpty()) {
            return Decision.deny(DenyCode.DATASET_NOT_REGISTERED, "dataset " + code + " is not in the resource catalog (资源目录)");
        }
        final Dataset dataset = entry.get();
        final Registration registration = dataset.registration();
        switch (registration.status()) {
            case UNREGISTERED -> {
                return Decision.deny(DenyCode.DATASET_NOT_REGISTERED, "dataset " + code + " is not registered (未登记) in the resource catalog");
            }
            case CANCELLED -> {
                return Decision.deny(DenyCode.DATASET_NOT_REGISTERED, "the registration " + registration.number() + " of dataset " + code
                        + " was cancelled (已注销) on " + registration.date());
            }
            case REGISTERED -> {
            }
        }
        if (dataset.openType() == OpenType.NOT_OPEN) {
            return Decision.deny(DenyCode.DATASET_NOT_OPEN, "dataset " + code + " is not to be opened (不予开放) according to the resource catalog; "
                    + "no grant authorizes its use");
        }
        return Decision.PERMIT;
    }
}
