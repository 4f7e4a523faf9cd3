package io.keywatch.events;

/**
 * Syntax check of an IP address literal, without ever resolving a name ({@code InetAddress.getByName} would look a
 * host name up in DNS: an attacker's string must not cause network traffic). IPv4: four decimal octets 0-255 without
 * leading zeros (which some parsers read as octal). IPv6: RFC 4291 text form, with {@code ::} at most once and an
 * optional trailing IPv4 part; no zone id, no brackets.
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    public static boolean isValid(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return false;
        }
        return text.indexOf(':') >= 0 ? isIpv6(text) : isIpv4(text, 0, text.length());
    }

    static boolean isIpv4(String text, int from, int to) {
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return false;
            }
            octets++;
            if (i == to) {
                return octets == 4;
            }
            if (octets == 4 || text.charAt(i) != '.') {
                return false;
            }
            i++;
        }
    }

    private static boolean isIpv6(String text) {
        int length = text.length();
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        int groups = 0;
        int i = 0;
        if (doubleColon == 0) {
            i = 2;
            if (i == length) {
                return true;
            }
        } else if (text.charAt(0) == ':') {
            return false;
        }
        while (i < length) {
            int start = i;
            while (i < length && i - start < 5 && Character.digit(text.charAt(i), 16) >= 0
                    && text.charAt(i) < 0x80) {
                i++;
            }
            if (i < length && text.charAt(i) == '.') {
                // an embedded IPv4 address ends the text and counts as two groups
                if (!isIpv4(text, start, length)) {
                    return false;
                }
                groups += 2;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4) {
                return false;
            }
            groups++;
            if (i == length) {
                break;
            }
            if (text.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i == doubleColon + 1) {
                // "::" inside or at the end
                i++;
                if (i == length) {
                    break;
                }
            } else if (i == length) {
                // a single trailing ':'
                return false;
            }
        }
        return doubleColon >= 0 ? groups < 8 : groups == 8;
    }
}
