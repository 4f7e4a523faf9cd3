package io.keywatch.api.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether keywatch may call a webhook URL, so that a subscription cannot turn keywatch into a proxy into
 * its own network (server-side request forgery).
 *
 * <p>A URL passes when it is absolute {@code https} ({@code http} only with {@code KEYWATCH_WEBHOOK_ALLOW_HTTP}),
 * has no {@code user:password@}, does not name a cloud metadata host, and <em>every</em> address its host resolves
 * to is public: loopback, unspecified, link-local, private, carrier-grade NAT, unique-local, multicast, reserved
 * and cloud metadata addresses are refused, also when wrapped in IPv6 (IPv4-mapped, IPv4-compatible, NAT64,
 * 6to4). Only ports 443 and 80 unless the allow-list names the port ({@code :8443}), the host or the addresses.
 * Hosts and ranges on the {@link WebhookAllowList} pass anyway.
 *
 * <p>Check at registration ({@link #check}) to answer 400 with {@link Verdict#reason()}, and again right before
 * each delivery ({@link #recheck}), because a name can be re-pointed at an internal address after it was
 * registered. {@link WebhookSender} then connects to {@link Verdict#pinnedAddress()}, the address checked, never
 * resolving the name again: a name with a zero TTL cannot flip to an internal address in between (DNS rebinding).
 */
public final class SsrfGuard {

    /** Resolves a host name to all its addresses. */
    @FunctionalInterface
    public interface HostResolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;

        /** The JVM's resolver, which the HTTP client also uses. */
        static HostResolver system() {
            return host -> List.of(InetAddress.getAllByName(host));
        }
    }

    /** Why a URL was refused. */
    public enum Problem {
        INVALID_URL, SCHEME_NOT_ALLOWED, USERINFO, BLOCKED_HOST, BLOCKED_ADDRESS,
        /** a port other than 80 and 443 that the allow-list does not name */
        PORT_NOT_ALLOWED,
        /** the host did not resolve: a 400 at registration, a retry at delivery time */
        UNRESOLVABLE
    }

    /**
     * The decision.
     *
     * @param problem   null when allowed
     * @param reason    one sentence for a 400 body or a delivery log; null when allowed
     * @param uri       the parsed URL; null when it could not be parsed
     * @param addresses what the host resolved to (empty when it was not resolved)
     */
    public record Verdict(boolean allowed, Problem problem, String reason, URI uri, List<InetAddress> addresses) {

        public Verdict {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }

        static Verdict allow(URI uri, List<InetAddress> addresses) {
            return new Verdict(true, null, null, uri, addresses);
        }

        /** The address to connect to: the first one checked, so that the connection cannot be re-pointed. */
        public InetAddress pinnedAddress() {
            if (!allowed || addresses.isEmpty()) {
                throw new IllegalStateException("no address to connect to: " + reason);
            }
            return addresses.get(0);
        }

        static Verdict refuse(Problem problem, String reason, URI uri, List<InetAddress> addresses) {
            return new Verdict(false, problem, reason, uri, addresses);
        }
    }

    /** Names of cloud metadata services; their addresses are refused as well. */
    static final Set<String> METADATA_HOSTS = Set.of(
            "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal");

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final byte[] AWS_METADATA_V6 = v6("fd00:ec2::254");

    private final WebhookAllowList allowList;
    private final boolean allowHttp;
    private final HostResolver resolver;

    public SsrfGuard(WebhookAllowList allowList, boolean allowHttp, HostResolver resolver) {
        this.allowList = Objects.requireNonNull(allowList, "allowList");
        this.allowHttp = allowHttp;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The settings' allow-list and http switch, with the system resolver. */
    public static SsrfGuard create(WebhookSettings settings) {
        return new SsrfGuard(settings.allowList(), settings.allowHttp(), HostResolver.system());
    }

    /** Checks a URL a client submitted. */
    public Verdict check(String url) {
        if (url == null || url.isBlank()) {
            return Verdict.refuse(Problem.INVALID_URL, "webhook URL must not be blank", null, List.of());
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return Verdict.refuse(Problem.INVALID_URL, "webhook URL is not a valid URL: " + e.getMessage(), null,
                    List.of());
        }
        return recheck(uri);
    }

    /** Checks a stored URL again, resolving its host anew: call right before each delivery. */
    public Verdict recheck(URI uri) {
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !uri.isAbsolute() || uri.isOpaque()) {
            return Verdict.refuse(Problem.INVALID_URL, "webhook URL must be an absolute URL such as "
                    + "https://example.com/hooks/keywatch", uri, List.of());
        }
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            String hint = scheme.equals("http")
                    ? " (plain http is refused unless KEYWATCH_WEBHOOK_ALLOW_HTTP=true)" : "";
            return Verdict.refuse(Problem.SCHEME_NOT_ALLOWED,
                    "webhook URL must use https, not " + scheme + hint, uri, List.of());
        }
        if (uri.getRawUserInfo() != null) {
            return Verdict.refuse(Problem.USERINFO,
                    "webhook URL must not contain a user name or password (user:password@host)", uri, List.of());
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Verdict.refuse(Problem.INVALID_URL, "webhook URL must name a host", uri, List.of());
        }
        String host = normalizeHost(uri.getHost());
        boolean hostAllowed = allowList.allowsHost(host);
        if (!hostAllowed && METADATA_HOSTS.contains(host)) {
            return Verdict.refuse(Problem.BLOCKED_HOST, "webhook URL names " + host
                    + ", a cloud metadata service; allow it with KEYWATCH_WEBHOOK_ALLOW", uri, List.of());
        }
        List<InetAddress> addresses;
        try {
            addresses = resolve(host);
        } catch (UnknownHostException e) {
            return Verdict.refuse(Problem.UNRESOLVABLE, "webhook URL host " + host + " does not resolve", uri,
                    List.of());
        }
        if (addresses.isEmpty()) {
            return Verdict.refuse(Problem.UNRESOLVABLE, "webhook URL host " + host + " has no address", uri,
                    List.of());
        }
        if (!hostAllowed) {
            for (InetAddress address : addresses) {
                Optional<String> category = forbiddenCategory(address);
                if (category.isPresent() && !allowList.allowsAddress(address)) {
                    return Verdict.refuse(Problem.BLOCKED_ADDRESS, "webhook URL resolves to "
                            + address.getHostAddress() + ", " + category.get()
                            + "; allow it with KEYWATCH_WEBHOOK_ALLOW", uri, addresses);
                }
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (port != 443 && port != 80 && !hostAllowed && !allowList.allowsPort(port)
                && !addresses.stream().allMatch(allowList::allowsAddress)) {
            return Verdict.refuse(Problem.PORT_NOT_ALLOWED, "webhook URL port " + port
                    + " is refused: only 443 and 80, unless KEYWATCH_WEBHOOK_ALLOW lists :" + port, uri, addresses);
        }
        return Verdict.allow(uri, addresses);
    }

    private List<InetAddress> resolve(String host) throws UnknownHostException {
        // literals are read here, not handed to the resolver
        if (IPV4_LITERAL.matcher(host).matches()) {
            String[] parts = host.split("\\.");
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(parts[i]);
                if (octet > 255) {
                    throw new UnknownHostException(host);
                }
                bytes[i] = (byte) octet;
            }
            return List.of(InetAddress.getByAddress(bytes));
        }
        if (host.contains(":")) {
            return List.of(InetAddress.getByName(host)); // an IPv6 literal: parsed, never looked up
        }
        return resolver.resolve(host);
    }

    /** Lower case, without IPv6 brackets or the trailing dot of a fully qualified name. */
    static String normalizeHost(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /**
     * What makes an address unfit for a webhook, in words for an error message ("a private address"), or empty
     * for a public address.
     */
    public static Optional<String> forbiddenCategory(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4Category(b);
        }
        if (address instanceof Inet6Address) {
            return ipv6Category(b);
        }
        return Optional.of("an address of an unknown kind");
    }

    private static Optional<String> ipv4Category(byte[] b) {
        int a0 = b[0] & 0xFF;
        int a1 = b[1] & 0xFF;
        int a2 = b[2] & 0xFF;
        int a3 = b[3] & 0xFF;
        if (a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254) {
            return Optional.of("the cloud metadata address");
        }
        if (a0 == 0) {
            return Optional.of("an unspecified (this-network) address"); // Linux connects 0.0.0.0 to itself
        }
        if (a0 == 127) {
            return Optional.of("a loopback address");
        }
        if (a0 == 10 || a0 == 172 && (a1 & 0xF0) == 16 || a0 == 192 && a1 == 168) {
            return Optional.of("a private address");
        }
        if (a0 == 100 && (a1 & 0xC0) == 64) {
            return Optional.of("a carrier-grade NAT (shared) address");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("a link-local address");
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return Optional.of("an IETF protocol assignment address");
        }
        if (a0 == 198 && (a1 & 0xFE) == 18) {
            return Optional.of("a benchmarking address");
        }
        if (a0 >= 224 && a0 <= 239) {
            return Optional.of("a multicast address");
        }
        if (a0 >= 240) {
            return Optional.of(a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255
                    ? "the broadcast address" : "a reserved address");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6Category(byte[] b) {
        if (Arrays.equals(b, AWS_METADATA_V6)) {
            return Optional.of("the cloud metadata address");
        }
        if (isZero(b, 0, 16)) {
            return Optional.of("an unspecified address");
        }
        if (isZero(b, 0, 15) && b[15] == 1) {
            return Optional.of("a loopback address");
        }
        if (isZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
            return ipv4Category(Arrays.copyOfRange(b, 12, 16)).map(c -> c + " (IPv4-mapped)");
        }
        if (isZero(b, 0, 12)) {
            return ipv4Category(Arrays.copyOfRange(b, 12, 16)).or(() -> Optional.of("a reserved address"))
                    .map(c -> c + " (IPv4-compatible)");
        }
        if ((b[0] & 0xFF) == 0x00 && (b[1] & 0xFF) == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B
                && isZero(b, 4, 12)) {
            return ipv4Category(Arrays.copyOfRange(b, 12, 16)).map(c -> c + " (NAT64)");
        }
        if ((b[0] & 0xFF) == 0x20 && (b[1] & 0xFF) == 0x02) {
            return ipv4Category(Arrays.copyOfRange(b, 2, 6)).map(c -> c + " (6to4)");
        }
        int first = b[0] & 0xFF;
        if ((first & 0xFE) == 0xFC) {
            return Optional.of("a unique-local address");
        }
        if (first == 0xFE && (b[1] & 0xC0) == 0x80) {
            return Optional.of("a link-local address");
        }
        if (first == 0xFE && (b[1] & 0xC0) == 0xC0) {
            return Optional.of("a site-local (private) address");
        }
        if (first == 0xFF) {
            return Optional.of("a multicast address");
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address; any other address unchanged. */
    static InetAddress unmapped(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && isZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 bytes are always an IPv4 address", e);
            }
        }
        return address;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] v6(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(literal, e);
        }
    }

    @Override
    public String toString() {
        return "SsrfGuard[allowHttp=" + allowHttp + ", allow=" + allowList.spec() + "]";
    }
}
