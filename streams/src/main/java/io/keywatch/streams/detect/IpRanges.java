package io.keywatch.streams.detect;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * CIDR matching for allow-lists, without DNS: only IP literals are parsed (a host name would make
 * {@link InetAddress#getByName} resolve it, which must never happen on the processing thread).
 */
final class IpRanges {

    private IpRanges() {
    }

    /** The address bytes of an IPv4 or IPv6 literal, or null when the text is not one. */
    static byte[] parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            return parseIpv4(text);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex && c != ':' && c != '.') {
                return null;
            }
        }
        try {
            // a literal with ':' made only of hex digits, ':' and '.' is parsed, never looked up
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static byte[] parseIpv4(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                bytes[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }

    /**
     * Whether {@code ip} lies in {@code cidr} ({@code 203.0.113.0/24}, {@code 2001:db8::/32}, or a single address).
     *
     * @return null when the CIDR is malformed, so the caller can tell "outside" from "cannot say"
     */
    static Boolean contains(String cidr, byte[] ip) {
        int slash = cidr.indexOf('/');
        byte[] network = parse(slash < 0 ? cidr.trim() : cidr.substring(0, slash).trim());
        if (network == null) {
            return null;
        }
        int bits = network.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(cidr.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                return null;
            }
            if (bits < 0 || bits > network.length * 8) {
                return null;
            }
        }
        if (ip.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (ip[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (ip[full] & mask) == (network[full] & mask);
    }
}
