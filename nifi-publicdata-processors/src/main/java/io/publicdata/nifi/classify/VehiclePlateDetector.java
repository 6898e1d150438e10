package io.publicdata.nifi.classify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Motor vehicle plates (机动车号牌, GA 36-2018): a province abbreviation, an issuing-authority letter, then
 * five characters for ordinary plates (at most two of them letters), four and a suffix for trailer,
 * coach, police, Hong Kong/Macao and consular plates (挂学警港澳领), or six for new-energy plates (a
 * D/F-class letter first and digits after, or five digits and the letter last). Letters I and O are
 * never used; an optional separator dot is accepted. Typed in lower case, as people fill in forms ({@code 京a12345}), a
 * plate counts only with a serial of digits (or a new-energy d/f and digits): lower-case letters after a province are
 * more often a product or service name ({@code 阿里云ecs1234}).
 */
final class VehiclePlateDetector extends PatternDetector {

    private static final Pattern CANDIDATES = Pattern.compile(
            "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•\\- ]?"
                    + "([A-HJ-NP-Z0-9]{4}[挂学警港澳领试超]|[A-HJ-NP-Z0-9]{5,6})(?![A-Za-z0-9])"
                    + "|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][a-hj-np-z][·•\\- ]?([df]?[0-9]{5})(?![A-Za-z0-9])");

    VehiclePlateDetector() {
        super(Labels.VEHICLE_PLATE, 2, CANDIDATES);
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return shape.hasPlateStart() && shape.digits() >= 3;
    }

    @Override
    boolean isValid(final Matcher candidate) {
        if (candidate.group(1) == null) {
            // Lower case: the pattern admits only digits, or a new-energy class and digits
            return true;
        }
        final String serial = candidate.group(1);
        if (serial.length() == 6) {
            return (isEnergyClass(serial.charAt(0)) && isAlnum(serial.charAt(1)) && allDigits(serial, 2, 6))
                    || (allDigits(serial, 0, 5) && isEnergyClass(serial.charAt(5)));
        }
        int letters = 0;
        for (int i = 0; i < serial.length(); i++) {
            final char c = serial.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                letters++;
            }
        }
        return letters <= 2;
    }

    private static boolean isEnergyClass(final char c) {
        return c >= 'A' && c <= 'K' && c != 'I';
    }

    private static boolean isAlnum(final char c) {
        return Character.isDigit(c) || (c >= 'A' && c <= 'Z');
    }

    private static boolean allDigits(final String s, final int from, final int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
