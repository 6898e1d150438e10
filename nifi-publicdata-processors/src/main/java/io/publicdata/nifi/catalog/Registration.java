package io.publicdata.nifi.catalog;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A dataset's registration (资源登记).
 *
 * @param number registration number (登记编号); null only while unregistered
 * @param status registration status
 * @param date   the day the status took effect: registered on, or cancelled on; null only while unregistered
 */
public record Registration(String number, RegistrationStatus status, LocalDate date) {

    /** @throws IllegalArgumentException when a registered or cancelled dataset lacks its number or date */
    public Registration {
        Objects.requireNonNull(status, "status");
        if (number != null && number.isBlank()) {
            number = null;
        }
        if (status != RegistrationStatus.UNREGISTERED && (number == null || date == null)) {
            throw new IllegalArgumentException("a registration that is " + status.name() + " (" + status.term()
                    + ") needs its registration number and date");
        }
    }

    public static Registration unregistered() {
        return new Registration(null, RegistrationStatus.UNREGISTERED, null);
    }

    /** Whether the dataset may be used: registered, and not cancelled. */
    public boolean inForce() {
        return status == RegistrationStatus.REGISTERED;
    }

    /** One line for attributes and reports, e.g. {@code REGISTERED JNDJ-2025-0001 2025-03-01}. */
    public String summary() {
        return status.name() + (number == null ? "" : " " + number) + (date == null ? "" : " " + date);
    }
}
