package io.publicdata.nifi.protect;

import io.publicdata.nifi.classify.Detectors;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.ChronoField;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coarsens a value so that it still serves statistics but no longer singles a person out (GENERALIZE): a date to
 * its year or year-month, a number to the range of a given width it falls in ({@code [1000, 2000)}), an address to
 * its first administrative divisions (北京市朝阳区建国路1号 → 北京市朝阳区). What it leaves holds no identifier: a number in which
 * a detector finds one (a resident ID or mobile in a field meant for amounts, as a shifted CSV column puts it there) is
 * no quantity, and its range would keep most of its digits ({@code [110105199003071000, 110105199003072000)}); it
 * becomes {@code *}, as does an address whose kept divisions still hold one ({@code 张三 13800138000 北京市}).
 *
 * @param datePrecision  what a date keeps
 * @param rangeWidth     width of the ranges numbers fall into
 * @param addressLevels  administrative divisions (省, 市, 区, 县, 旗, 自治州) an address keeps
 */
public record Generalization(DatePrecision datePrecision, BigDecimal rangeWidth, int addressLevels) {

    /** What a generalised date keeps. */
    public enum DatePrecision { YEAR, MONTH }

    public static final Generalization DEFAULT = new Generalization(DatePrecision.YEAR, BigDecimal.TEN, 2);

    private static final Pattern DATE_TEXT = Pattern.compile("(\\d{4})[-/.年](\\d{1,2})(?:[-/.月]\\d{1,2}日?)?(?:[ T].*)?");
    private static final Pattern NUMBER_TEXT = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    /** What is left of a value that cannot be generalised without keeping what singles a person out. */
    private static final String SUPPRESSED = "*";
    private static final Pattern DIVISION = Pattern.compile("自治区|自治州|[省市区县旗]");

    public Generalization {
        if (rangeWidth.signum() <= 0) {
            throw new IllegalArgumentException("Range width must be positive");
        }
        if (addressLevels < 1) {
            throw new IllegalArgumentException("Address levels must be at least 1");
        }
    }

    /** The generalised form of a date, number or text. */
    public String apply(final Object value) {
        if (value instanceof java.util.Date date) {
            return date(date instanceof java.sql.Date sqlDate ? sqlDate.toLocalDate()
                    : date.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate());
        }
        if (value instanceof TemporalAccessor temporal && temporal.isSupported(ChronoField.YEAR)) {
            return date(LocalDate.of(temporal.get(ChronoField.YEAR), temporal.isSupported(ChronoField.MONTH_OF_YEAR)
                    ? temporal.get(ChronoField.MONTH_OF_YEAR) : 1, 1));
        }
        if (value instanceof Number number) {
            return Detectors.holdsIdentifier(number.toString()) ? SUPPRESSED : range(new BigDecimal(number.toString()));
        }
        final String text = value.toString().strip();
        final Matcher date = DATE_TEXT.matcher(text);
        if (date.matches()) {
            final int month = Integer.parseInt(date.group(2));
            if (month >= 1 && month <= 12) {
                return date(LocalDate.of(Integer.parseInt(date.group(1)), month, 1));
            }
        }
        if (NUMBER_TEXT.matcher(text).matches()) {
            return Detectors.holdsIdentifier(text) ? SUPPRESSED : range(new BigDecimal(text));
        }
        final String region = region(text);
        return Detectors.holdsIdentifier(region) ? SUPPRESSED : region;
    }

    private String date(final LocalDate date) {
        return datePrecision == DatePrecision.YEAR ? String.valueOf(date.getYear()) : String.format("%04d-%02d", date.getYear(), date.getMonthValue());
    }

    private String range(final BigDecimal number) {
        final BigDecimal low = number.divide(rangeWidth, 0, RoundingMode.FLOOR).multiply(rangeWidth);
        return "[" + low.stripTrailingZeros().toPlainString() + ", " + low.add(rangeWidth).stripTrailingZeros().toPlainString() + ")";
    }

    /** The address up to its configured division; fails closed to {@code *} when no division is named. */
    private String region(final String text) {
        final Matcher division = DIVISION.matcher(text);
        int end = -1;
        for (int level = 0; level < addressLevels && division.find(); level++) {
            end = division.end();
        }
        return end < 0 ? SUPPRESSED : text.substring(0, end);
    }
}
