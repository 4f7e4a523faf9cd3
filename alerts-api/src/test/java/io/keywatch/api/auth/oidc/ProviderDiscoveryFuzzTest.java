package io.keywatch.api.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.util.Resource;
import io.keywatch.api.auth.oidc.ProviderDiscovery.DiscoveryException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Any discovery document at all (a compromised or misconfigured issuer, or whoever sits on a plain-http path): the
 * endpoints come back only as absolute https URLs without user info, query or fragment, whose origin is safe to put
 * in the Content-Security-Policy header; anything else is a {@link DiscoveryException} with a short, printable
 * message, never another exception.
 */
class ProviderDiscoveryFuzzTest {

    private static final String ISSUER = "https://login.example.com/realms/ops";
    /**
     * What may follow {@code connect-src 'self' } in a header: an origin as browsers write it (lower case), no space,
     * quote, semicolon or control character.
     */
    private static final Pattern ORIGIN = Pattern.compile("https://[a-z0-9.\\-\\[\\]:%_~!$&()*+,=]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final OidcSettings SETTINGS = new OidcSettings(ISSUER, "keywatch", null,
            OidcSettings.DEFAULT_ROLE_CLAIM, RoleMap.parse("ops=admin"), OidcSettings.DEFAULT_IDENTITY_CLAIM, false,
            Duration.ofSeconds(30));

    @FuzzTest
    void anyDocumentGivesSafeEndpointsOrAReason(byte[] input) {
        check(new String(input, StandardCharsets.UTF_8));
    }

    /** A document for the right issuer with fuzzed endpoints, to reach the endpoint checks. */
    @FuzzTest
    void fuzzedEndpointsAreSafeOrRefused(FuzzedDataProvider data) {
        ObjectNode document = JSON.createObjectNode().put("issuer", ISSUER);
        String prefix = data.pickValue(new String[] {"", "https://", "http://", "https://idp.example.com",
                "HTTPS://", "javascript:", "https://[", "//"});
        document.put("authorization_endpoint", prefix + data.consumeString(200));
        if (data.consumeBoolean()) {
            document.put("token_endpoint", prefix + data.consumeRemainingAsString());
        } else {
            document.put("token_endpoint", "https://idp.example.com/token");
        }
        check(document.toString());
    }

    private static void check(String content) {
        ProviderDiscovery discovery = new ProviderDiscovery(SETTINGS, url -> new Resource(content, "application/json"));
        ProviderEndpoints endpoints;
        try {
            endpoints = discovery.endpoints();
        } catch (DiscoveryException e) {
            assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(1_000).doesNotContainPattern("[\\p{Cntrl}]");
            return;
        }
        for (URI uri : new URI[] {endpoints.authorization(), endpoints.token()}) {
            assertThat(uri.getScheme()).isEqualToIgnoringCase("https");
            assertThat(uri.getHost()).isNotNull();
            assertThat(uri.getRawUserInfo()).isNull();
            assertThat(uri.getRawQuery()).isNull();
            assertThat(uri.getRawFragment()).isNull();
            assertThat(uri.toString()).hasSizeLessThanOrEqualTo(2_048);
        }
        assertThat(endpoints.tokenOrigin()).matches(ORIGIN);
    }
}
