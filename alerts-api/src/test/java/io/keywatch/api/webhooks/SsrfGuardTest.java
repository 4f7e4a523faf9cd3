package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SsrfGuardTest {

    /** A DNS the test controls; unknown names do not resolve. */
    private final Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>();
    private final List<String> lookedUp = new ArrayList<>();
    private final SsrfGuard.HostResolver resolver = host -> {
        lookedUp.add(host);
        List<InetAddress> found = dns.get(host);
        if (found == null) {
            throw new UnknownHostException(host);
        }
        return found;
    };
    private final SsrfGuard guard = new SsrfGuard(WebhookAllowList.EMPTY, false, resolver);

    private void point(String host, String... addresses) {
        List<InetAddress> list = new ArrayList<>();
        for (String a : addresses) {
            list.add(literal(a));
        }
        dns.put(host, list);
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    @Test
    void allowsAnHttpsUrlWhoseHostResolvesToPublicAddressesOnly() {
        point("hooks.example.com", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c");

        SsrfGuard.Verdict verdict = guard.check("https://hooks.example.com:443/keywatch?tenant=7");

        assertThat(verdict.allowed()).isTrue();
        assertThat(verdict.reason()).isNull();
        assertThat(verdict.addresses()).hasSize(2);
        assertThat(verdict.uri().getPort()).isEqualTo(443);
    }

    @Test
    void refusesAPrivateAddressWithAMessageForThe400Body() {
        point("internal.example.com", "10.0.0.5");

        SsrfGuard.Verdict verdict = guard.check("https://internal.example.com/hook");

        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.problem()).isEqualTo(SsrfGuard.Problem.BLOCKED_ADDRESS);
        assertThat(verdict.reason()).isEqualTo(
                "webhook URL resolves to 10.0.0.5, a private address; allow it with KEYWATCH_WEBHOOK_ALLOW");
    }

    @Test
    void oneInternalAddressAmongPublicOnesIsEnoughToRefuse() {
        point("mixed.example.com", "93.184.215.14", "127.0.0.1");

        assertThat(guard.check("https://mixed.example.com/").reason())
                .startsWith("webhook URL resolves to 127.0.0.1, a loopback address");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1                | a loopback address",
            "127.255.0.9              | a loopback address",
            "0.0.0.0                  | an unspecified (this-network) address",
            "10.1.2.3                 | a private address",
            "172.16.0.1               | a private address",
            "172.31.255.254           | a private address",
            "192.168.1.1              | a private address",
            "100.64.0.1               | a carrier-grade NAT (shared) address",
            "100.127.255.254          | a carrier-grade NAT (shared) address",
            "169.254.10.10            | a link-local address",
            "169.254.169.254          | the cloud metadata address",
            "192.0.0.192              | an IETF protocol assignment address",
            "198.18.0.1               | a benchmarking address",
            "224.0.0.251              | a multicast address",
            "240.0.0.1                | a reserved address",
            "255.255.255.255          | the broadcast address",
            "::1                      | a loopback address",
            "::                       | an unspecified address",
            "fe80::1                  | a link-local address",
            "fc00::1                  | a unique-local address",
            "fd12:3456::1             | a unique-local address",
            "fd00:ec2::254            | the cloud metadata address",
            "fec0::1                  | a site-local (private) address",
            "ff02::1                  | a multicast address",
            "::127.0.0.1              | a loopback address (IPv4-compatible)",
            "64:ff9b::a00:1           | a private address (NAT64)",
            "2002:a9fe:a9fe::1        | the cloud metadata address (6to4)",
    })
    void refusesEveryInternalKindOfAddress(String address, String category) {
        point("target.example.com", address);

        SsrfGuard.Verdict verdict = guard.check("https://target.example.com/");

        assertThat(verdict.allowed()).as(address).isFalse();
        assertThat(verdict.reason()).contains(", " + category + ";");
    }

    @ParameterizedTest
    @ValueSource(strings = {"172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1", "8.8.8.8",
            "192.0.1.1", "2001:4860:4860::8888"})
    void allowsTheNeighboursOfInternalRanges(String address) {
        point("edge.example.com", address);

        assertThat(guard.check("https://edge.example.com/").allowed()).as(address).isTrue();
    }

    @Test
    void refusesIpv4MappedIpv6FormsOfInternalAddresses() throws Exception {
        // built as a real Inet6Address: InetAddress.getByName would turn ::ffff:a.b.c.d into an Inet4Address
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 169;
        mapped[13] = (byte) 254;
        mapped[14] = (byte) 169;
        mapped[15] = (byte) 254;
        dns.put("rebind.example.com", List.of(Inet6Address.getByAddress("rebind.example.com", mapped, null)));

        SsrfGuard.Verdict verdict = guard.check("https://rebind.example.com/");

        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.reason()).contains("the cloud metadata address (IPv4-mapped)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://10.0.0.5/hook", "https://[::1]:8443/hook", "https://[::ffff:127.0.0.1]/",
            "https://169.254.169.254/latest/meta-data/"})
    void refusesInternalAddressLiteralsWithoutAskingTheResolver(String url) {
        SsrfGuard.Verdict verdict = guard.check(url);

        assertThat(verdict.allowed()).as(url).isFalse();
        assertThat(verdict.problem()).isEqualTo(SsrfGuard.Problem.BLOCKED_ADDRESS);
        assertThat(lookedUp).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://metadata.google.internal/computeMetadata/v1/",
            "https://METADATA.GOOGLE.INTERNAL./", "https://metadata.goog/"})
    void refusesCloudMetadataHostsByName(String url) {
        point("metadata.google.internal", "93.184.215.14"); // even if DNS says something harmless

        SsrfGuard.Verdict verdict = guard.check(url);

        assertThat(verdict.problem()).isEqualTo(SsrfGuard.Problem.BLOCKED_HOST);
        assertThat(verdict.reason()).contains("a cloud metadata service");
    }

    @Test
    void requiresHttpsUnlessHttpIsAllowed() {
        point("hooks.example.com", "93.184.215.14");

        SsrfGuard.Verdict http = guard.check("http://hooks.example.com/");

        assertThat(http.problem()).isEqualTo(SsrfGuard.Problem.SCHEME_NOT_ALLOWED);
        assertThat(http.reason()).isEqualTo("webhook URL must use https, not http "
                + "(plain http is refused unless KEYWATCH_WEBHOOK_ALLOW_HTTP=true)");
        assertThat(new SsrfGuard(WebhookAllowList.EMPTY, true, resolver).check("http://hooks.example.com/")
                .allowed()).isTrue();
        assertThat(new SsrfGuard(WebhookAllowList.EMPTY, true, resolver).check("ftp://hooks.example.com/")
                .reason()).isEqualTo("webhook URL must use https, not ftp");
    }

    @Test
    void refusesCredentialsInTheUrl() {
        point("hooks.example.com", "93.184.215.14");

        SsrfGuard.Verdict verdict = guard.check("https://user:pass@hooks.example.com/");

        assertThat(verdict.problem()).isEqualTo(SsrfGuard.Problem.USERINFO);
        assertThat(verdict.reason()).doesNotContain("pass@");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a url", "/relative/path", "https://", "https:///path", "mailto:a@example.com"})
    void refusesWhatIsNotAnAbsoluteUrlWithAHost(String url) {
        SsrfGuard.Verdict verdict = guard.check(url);

        assertThat(verdict.allowed()).as(url).isFalse();
        assertThat(verdict.problem()).as(url).isIn(SsrfGuard.Problem.INVALID_URL,
                SsrfGuard.Problem.SCHEME_NOT_ALLOWED);
    }

    @Test
    void anUnresolvableHostIsRefusedAsSuch() {
        SsrfGuard.Verdict verdict = guard.check("https://nowhere.example.com/");

        assertThat(verdict.problem()).isEqualTo(SsrfGuard.Problem.UNRESOLVABLE);
        assertThat(verdict.reason()).isEqualTo("webhook URL host nowhere.example.com does not resolve");
    }

    @Test
    void theAllowListPermitsNamedHostsAndListedRanges() {
        point("localhost", "127.0.0.1", "::1");
        point("receiver.internal", "10.20.0.7");
        point("other.internal", "10.30.0.7");
        SsrfGuard allowing = new SsrfGuard(WebhookAllowList.parse("localhost,10.20.0.0/16"), true, resolver);

        assertThat(allowing.check("http://localhost:8080/hook").allowed()).isTrue();
        assertThat(allowing.check("https://receiver.internal/hook").allowed()).isTrue();
        assertThat(allowing.check("https://other.internal/hook").reason())
                .isEqualTo("webhook URL resolves to 10.30.0.7, a private address; allow it with KEYWATCH_WEBHOOK_ALLOW");
        assertThat(new SsrfGuard(WebhookAllowList.parse("127.0.0.0/8"), true, resolver)
                .check("http://127.0.0.1:9/").allowed()).isTrue();
    }

    @Test
    void recheckingAtDeliveryCatchesAHostRepointedAtAnInternalAddress() {
        point("flip.example.com", "93.184.215.14");
        SsrfGuard.Verdict registered = guard.check("https://flip.example.com/hook");
        assertThat(registered.allowed()).isTrue();

        point("flip.example.com", "169.254.169.254"); // DNS rebinding
        SsrfGuard.Verdict atDelivery = guard.recheck(URI.create("https://flip.example.com/hook"));

        assertThat(atDelivery.allowed()).isFalse();
        assertThat(atDelivery.reason()).contains("169.254.169.254, the cloud metadata address");
        assertThat(lookedUp).containsExactly("flip.example.com", "flip.example.com");
    }

    @Test
    void allowListEntriesAreValidatedWithoutDns() {
        WebhookAllowList list = WebhookAllowList.parse(" Localhost. , 127.0.0.0/8, ::1, fd00::/8, 10.0.0.5 ,");

        assertThat(list.spec()).isEqualTo("localhost,127.0.0.0/8,::1,fd00::/8,10.0.0.5");
        assertThat(list.allowsAddress(literal("fd12::1"))).isTrue();
        assertThat(list.allowsAddress(literal("fe80::1"))).isFalse();
        assertThat(list.allowsAddress(literal("10.0.0.5"))).isTrue();
        assertThat(list.allowsAddress(literal("10.0.0.6"))).isFalse();
        assertThat(WebhookAllowList.parse("  ").isEmpty()).isTrue();
        for (String bad : List.of("300.1.1.1", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "bad host!", "-lead.example")) {
            assertThatThrownBy(() -> WebhookAllowList.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("KEYWATCH_WEBHOOK_ALLOW entry");
        }
    }

    @Test
    void aCidrMatchesExactlyItsPrefix() {
        WebhookAllowList list = WebhookAllowList.parse("172.16.0.0/12");

        assertThat(Arrays.asList("172.16.0.0", "172.31.255.255")).allMatch(a -> list.allowsAddress(literal(a)));
        assertThat(Arrays.asList("172.15.255.255", "172.32.0.0")).noneMatch(a -> list.allowsAddress(literal(a)));
    }
}
