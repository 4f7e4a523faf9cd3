package io.keywatch.api.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Hosts and address ranges that webhook URLs may reach although {@link SsrfGuard} would refuse them, from
 * {@code KEYWATCH_WEBHOOK_ALLOW}: a comma-separated list of host names ({@code localhost}), addresses
 * ({@code 10.0.0.5}, {@code ::1}), CIDR ranges ({@code 127.0.0.0/8}, {@code fd00::/8}) and ports ({@code :8443}:
 * that port on any public host; a listed host or range may be reached on any port). Parsing never touches DNS.
 */
public final class WebhookAllowList {

    public static final WebhookAllowList EMPTY = new WebhookAllowList(Set.of(), List.of(), Set.of());

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern PORT = Pattern.compile(":\\d{1,5}");

    private final Set<String> hosts;
    private final List<Cidr> ranges;
    private final Set<Integer> ports;

    private WebhookAllowList(Set<String> hosts, List<Cidr> ranges, Set<Integer> ports) {
        this.hosts = Set.copyOf(hosts);
        this.ranges = List.copyOf(ranges);
        this.ports = Set.copyOf(ports);
    }

    /**
     * Reads the comma-separated list; blank means empty.
     *
     * @throws IllegalArgumentException naming the entry that is neither a host name, an address nor a CIDR range
     */
    public static WebhookAllowList parse(String list) {
        if (list == null || list.isBlank()) {
            return EMPTY;
        }
        Set<String> hosts = new LinkedHashSet<>();
        List<Cidr> ranges = new ArrayList<>();
        Set<Integer> ports = new LinkedHashSet<>();
        for (String raw : list.split(",")) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (PORT.matcher(entry).matches()) {
                int port = Integer.parseInt(entry.substring(1));
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("KEYWATCH_WEBHOOK_ALLOW entry '" + raw.strip()
                            + "' is not a port between :1 and :65535");
                }
                ports.add(port);
            } else if (entry.contains("/") || entry.contains(":") || IPV4_LITERAL.matcher(entry).matches()) {
                ranges.add(Cidr.parse(entry));
            } else if (HOST_NAME.matcher(SsrfGuard.normalizeHost(entry)).matches()) {
                hosts.add(SsrfGuard.normalizeHost(entry));
            } else {
                throw new IllegalArgumentException("KEYWATCH_WEBHOOK_ALLOW entry '" + raw.strip()
                        + "' is neither a host name, an IP address nor a CIDR range such as 127.0.0.0/8");
            }
        }
        return new WebhookAllowList(hosts, ranges, ports);
    }

    /** Whether a port other than 80 and 443 is listed (as {@code :8443}) for every public host. */
    public boolean allowsPort(int port) {
        return ports.contains(port);
    }

    /** Whether the (normalized, lower-case) host name is listed. */
    public boolean allowsHost(String host) {
        return host != null && hosts.contains(SsrfGuard.normalizeHost(host));
    }

    /** Whether the address lies in a listed range (an IPv4-mapped IPv6 address counts as its IPv4 address). */
    public boolean allowsAddress(InetAddress address) {
        InetAddress plain = SsrfGuard.unmapped(address);
        for (Cidr range : ranges) {
            if (range.contains(plain) || range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return hosts.isEmpty() && ranges.isEmpty() && ports.isEmpty();
    }

    /** The list in the form {@link #parse} reads. */
    public String spec() {
        List<String> all = new ArrayList<>(hosts);
        ranges.forEach(r -> all.add(r.toString()));
        ports.forEach(p -> all.add(":" + p));
        return String.join(",", all);
    }

    @Override
    public String toString() {
        return "WebhookAllowList[" + spec() + "]";
    }

    /** An address range. */
    record Cidr(byte[] network, int prefixLength, String text) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            InetAddress parsed = literal(address, text);
            int bits = parsed.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("KEYWATCH_WEBHOOK_ALLOW entry '" + text
                            + "' has a prefix length outside 0.." + bits);
                }
            }
            return new Cidr(parsed.getAddress(), prefix, text);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
        }

        @Override
        public String toString() {
            return text;
        }

        private static InetAddress literal(String address, String entry) {
            try {
                if (IPV4_LITERAL.matcher(address).matches()) {
                    // parsed by hand: getByName would look "300.1.1.1" up in DNS as a host name
                    String[] parts = address.split("\\.");
                    byte[] bytes = new byte[4];
                    for (int i = 0; i < 4; i++) {
                        int octet = Integer.parseInt(parts[i]);
                        if (octet > 255) {
                            throw new UnknownHostException(address);
                        }
                        bytes[i] = (byte) octet;
                    }
                    return InetAddress.getByAddress(bytes);
                }
                if (address.contains(":") && address.chars().allMatch(c -> Character.digit(c, 16) >= 0
                        || c == ':' || c == '.')) {
                    // a string with ':' is parsed as an IPv6 literal, never looked up
                    return InetAddress.getByName(address);
                }
            } catch (UnknownHostException e) {
                // reported below
            }
            throw new IllegalArgumentException("KEYWATCH_WEBHOOK_ALLOW entry '" + entry
                    + "' is not a valid IP address or CIDR range");
        }
    }
}
