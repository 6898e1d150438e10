package io.publicdata.nifi.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IP addresses (IP地址): dotted-quad IPv4 with each octet 0-255 and no leading zeros, or every octet padded to three
 * digits as some logs and firewalls write them ({@code 010.001.002.003}), and IPv6 in
 * RFC 4291 text form (eight groups, one {@code ::} shorthand, optionally an embedded IPv4 tail).
 */
final class IpAddressDetector extends Detector {

    private static final Pattern IPV4 = Pattern.compile(
            "(?<![0-9.])[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(?![0-9]|\\.[0-9])");
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![0-9A-Fa-f.])(?<![0-9A-Fa-f.:]:)[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?::?[0-9]{1,3}(?:\\.[0-9]{1,3}){3})?"
            + "(?![0-9A-Za-z:]|\\.[0-9A-Za-z])");

    @Override
    public String label() {
        return Labels.IP_ADDRESS;
    }

    @Override
    public int defaultRank() {
        return 2;
    }

    @Override
    public boolean mayOccurIn(final TextShape shape) {
        return (shape.dots() >= 3 && shape.digits() >= 4) || shape.colons() >= 2;
    }

    @Override
    public void find(final TextShape shape, final SpanSink sink) {
        final String text = shape.text();
        // IPv6 first: the dotted tail of ::ffff:192.0.2.128 is part of that address, not one of its own
        final List<int[]> ipv6 = new ArrayList<>(0);
        if (text.indexOf(':') >= 0) {
            final Matcher m = IPV6.matcher(text);
            int from = 0;
            while (from < text.length() && m.find(from)) {
                if (isIpv6(m.group())) {
                    sink.accept(m.start(), m.end());
                    ipv6.add(new int[] {m.start(), m.end()});
                    from = m.end();
                } else {
                    // A colon before the address (备注：2001:db8::1) is not part of it: look again one character on
                    from = m.start() + 1;
                }
            }
        }
        if (text.indexOf('.') >= 0) {
            final Matcher m = IPV4.matcher(text);
            while (m.find()) {
                final int start = m.start();
                final boolean insideIpv6 = ipv6.stream().anyMatch(span -> start >= span[0] && start < span[1]);
                if (!insideIpv6 && isIpv4(m.group())) {
                    sink.accept(m.start(), m.end());
                }
            }
        }
    }

    static boolean isIpv4(final String s) {
        final String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        final boolean padded = octets[0].length() == 3 && octets[1].length() == 3 && octets[2].length() == 3 && octets[3].length() == 3;
        for (final String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || (!padded && octet.length() > 1 && octet.charAt(0) == '0')
                    || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(final String s) {
        String head = s;
        int groupsNeeded = 8;
        final int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.', lastColon) > 0) {
            if (!isIpv4(s.substring(lastColon + 1))) {
                return false;
            }
            head = s.substring(0, lastColon + 1) + "0";
            groupsNeeded = 7;
        }
        final int shorthand = head.indexOf("::");
        if (shorthand < 0) {
            return groups(head) == groupsNeeded;
        }
        if (head.indexOf("::", shorthand + 1) >= 0) {
            return false;
        }
        final int left = groups(head.substring(0, shorthand));
        final int right = groups(head.substring(shorthand + 2));
        return left >= 0 && right >= 0 && left + right < groupsNeeded;
    }

    /** Number of colon-separated groups of one to four hex digits, 0 for "", or -1 when malformed. */
    private static int groups(final String s) {
        if (s.isEmpty()) {
            return 0;
        }
        final String[] groups = s.split(":", -1);
        for (final String group : groups) {
            if (group.isEmpty() || group.length() > 4) {
                return -1;
            }
        }
        return groups.length;
    }

    @Override
    public String toString() {
        return label();
    }
}
