package io.publicdata.nifi.grant;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** How reasons write instants: to the millisecond, in the offset a document was written with, so they read as it does. */
final class Times {

    private Times() {
    }

    static String format(final Instant instant, final OffsetDateTime zoneOf) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.truncatedTo(ChronoUnit.MILLIS).atOffset(zoneOf.getOffset()));
    }

    static String format(final OffsetDateTime time) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
    }
}
