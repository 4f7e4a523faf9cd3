package io.keywatch.api.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.errors.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyMetadataParserTest {

    @Test
    void acceptsIpv4AndIpv6CidrsInCanonicalForm() {
        assertThat(KeyMetadataParser.cidr("10.0.0.0/8")).isEqualTo("10.0.0.0/8");
        assertThat(KeyMetadataParser.cidr("203.0.113.7/32")).isEqualTo("203.0.113.7/32");
        assertThat(KeyMetadataParser.cidr("0.0.0.0/0")).isEqualTo("0.0.0.0/0");
        assertThat(KeyMetadataParser.cidr("2001:DB8:0:0::/32")).isEqualTo("2001:db8::/32");
        assertThat(KeyMetadataParser.cidr("::1/128")).isEqualTo("::1/128");
    }

    @Test
    void refusesMalformedCidrsSayingWhy() {
        assertThatThrownBy(() -> KeyMetadataParser.cidr("10.0.0.1/8")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("allowedCidrs").hasMessageContaining("did you mean 10.0.0.0/8");
        assertThatThrownBy(() -> KeyMetadataParser.cidr("10.0.0.0")).hasMessageContaining("/32");
        assertThatThrownBy(() -> KeyMetadataParser.cidr("256.0.0.0/8")).hasMessageContaining("256");
        assertThatThrownBy(() -> KeyMetadataParser.cidr("10.0.0.0/33")).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> KeyMetadataParser.cidr("2001:db8::/129")).hasMessageContaining("0 to 128");
        assertThatThrownBy(() -> KeyMetadataParser.cidr("example.com/24")).hasMessageContaining("not an IPv4");
        assertThatThrownBy(() -> KeyMetadataParser.cidr("2001:zz8::/32")).hasMessageContaining("not an IPv6");
        assertThatThrownBy(() -> KeyMetadataParser.cidr("1:2:3:4:5:6:7:8:9/64")).hasMessageContaining("IPv6");
        assertThatThrownBy(() -> KeyMetadataParser.cidr("10.0.0.0/+8")).hasMessageContaining("prefix");
    }

    @Test
    void recognisesSecretLookingPropertyNames() {
        for (String name : new String[] {"secret", "apiKey", "api_key", "token", "accessToken", "clientSecret",
                "password", "private_key", "key", "credentials", "Authorization"}) {
            assertThat(KeyMetadataParser.looksLikeSecret(name)).as(name).isTrue();
        }
        for (String name : KeyMetadataParser.FIELDS) {
            assertThat(KeyMetadataParser.looksLikeSecret(name)).as(name).isFalse();
        }
    }

    /** A Stripe secret key in Stripe's documented shape, built here so that none is committed. */
    static String stripeSecret() {
        return "sk_" + "live_" + "Qr7" + "x9Kd2LmPq4RsTv8WyZa1Bc3";
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    }

    @Test
    void refusesSecretValuesAndNamesWithTheFieldAndFormatButNeverTheValue() throws Exception {
        String secret = stripeSecret();
        Map<String, String> cases = Map.of(
                "{\"owner\":\"" + secret + "\"}", "field 'owner' is or holds a secret (stripe-secret-key)",
                "{\"scopes\":[\"a\",\"" + secret + "\"]}", "field 'scopes[1]' is or holds a secret (stripe-secret-key)",
                "{\"thresholds\":{\"" + secret + "\":1}}", "a field name in 'thresholds' is a secret");
        cases.forEach((body, expected) -> assertThatThrownBy(() -> KeyMetadataParser.refuseSecrets(json(body)))
                .as(body).isInstanceOf(InvalidInputException.class).hasMessageContaining(expected)
                .hasMessageContaining("keywatch never stores key secrets").hasMessageNotContaining(secret));
        KeyMetadataParser.refuseSecrets(json("{\"owner\":\"team-billing\",\"scopes\":[\"invoices:read\"]}"));
    }

    @Test
    void quotesAFieldNameOnlyEscapedAndCut() throws Exception {
        // a name with a line break and a bidi override, nested under a secret-hinting name
        assertThatThrownBy(() -> KeyMetadataParser.refuseSecrets(json(
                "{\"thresholds\":{\"x\\n\\u202e" + "y".repeat(300) + "\":{\"token\":\"v\"}}}")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("looks like a secret")
                .hasMessageContaining("\\n").hasMessageContaining("\\u202e").hasMessageNotContaining("\n")
                .hasMessageNotContaining("\u202e").hasMessageNotContaining("y".repeat(60));
    }

    @Test
    void refusesASecretOrAFingerprintAsKeyId() {
        String secret = stripeSecret();
        assertThatThrownBy(() -> KeyMetadataParser.refuseSecretKeyId(secret)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("keyId is or holds a secret (stripe-secret-key)").hasMessageNotContaining(secret);
        // a key id holding a secret token: the event path fingerprints it, so the registry refuses it too
        String github = "ghp_" + "Qr7x9Kd2LmPq4RsTv8WyZa1Bc3Dd5Ee6Ff7Gg8";
        assertThatThrownBy(() -> KeyMetadataParser.refuseSecretKeyId("team:" + github))
                .hasMessageContaining("github-token").hasMessageNotContaining(github);
        assertThatThrownBy(() -> KeyMetadataParser.refuseSecretKeyId("key=" + secret + ",x"))
                .hasMessageContaining("stripe-secret-key");
        assertThatThrownBy(() -> KeyMetadataParser.refuseSecretKeyId(
                "redacted:stripe-secret-key:0123456789abcdef0123456789abcdef")).hasMessageContaining("rotate");
        KeyMetadataParser.refuseSecretKeyId("key_live_42");
        KeyMetadataParser.refuseSecretKeyId("pk_" + "live_" + "Qr7x9Kd2LmPq4RsTv8WyZa1Bc3");
    }

    private static io.keywatch.events.KeyMetadata parse(String body) throws Exception {
        // bound as PUT /api/v1/keys/{keyId} binds it
        return KeyMetadataParser.parse(io.keywatch.api.http.JsonBodies.bind(
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), KeyRegistration.class, "{}"), "pk_live_x");
    }

    @Test
    void storesACanaryAndWhereItWasPlanted() throws Exception {
        io.keywatch.events.KeyMetadata canary = parse(
                "{\"canary\":true,\"plantedAt\":\"github.com/acme/old-infra/.env\"}");
        assertThat(canary.canaryKey()).isTrue();
        assertThat(canary.plantedAt()).isEqualTo("github.com/acme/old-infra/.env");
        // a real key's entry keeps no canary field at all
        assertThat(parse("{\"canary\":false}").canary()).isNull();
        assertThat(parse("{\"owner\":\"acme\"}").canaryKey()).isFalse();
    }

    @Test
    void refusesBadCanaryFieldsNamingTheField() throws Exception {
        assertThatThrownBy(() -> parse("{\"canary\":\"yes\"}")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("canary must be true or false");
        assertThatThrownBy(() -> parse("{\"plantedAt\":\"laptop\"}")).hasMessageContaining("plantedAt")
                .hasMessageContaining("canary");
        assertThatThrownBy(() -> parse("{\"canary\":true,\"plantedAt\":\"" + "x".repeat(201) + "\"}"))
                .hasMessageContaining("plantedAt");
        assertThatThrownBy(() -> parse("{\"canary\":true,\"plantedAt\":7}")).hasMessageContaining("plantedAt");
        String secret = stripeSecret();
        assertThatThrownBy(() -> KeyMetadataParser.refuseSecrets(
                json("{\"canary\":true,\"plantedAt\":\"repo/.env:" + secret + "\"}")))
                .hasMessageContaining("field 'plantedAt' is or holds a secret")
                .hasMessageNotContaining(secret);
    }

    @Test
    void bindsOnlyTheRegistrationsFieldsAfterRefusingSecretsSoNoMessageQuotesOne() throws Exception {
        String secret = stripeSecret();
        byte[] secretName = ("{\"owner\":\"a\",\"" + secret + "\":1}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> io.keywatch.api.http.JsonBodies.bind(secretName, KeyRegistration.class, "{}",
                KeyMetadataParser::refuseSecrets)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("keywatch never stores key secrets").hasMessageNotContaining(secret);
        assertThatThrownBy(() -> parse("{\"owner\":\"a\",\"autorevoke\":false}"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("unknown field, expected "
                        + "some of " + KeyMetadataParser.FIELDS.stream().sorted().toList());
        assertThatThrownBy(() -> parse("{\"scopes\":[\"a\",null]}")).hasMessageContaining(
                "scopes must contain non-blank strings only, got null");
        assertThatThrownBy(() -> parse("{\"thresholds\":{\"volume.floor\":1e999}}"))
                .hasMessageContaining("thresholds: 'volume.floor' must be a number");
        assertThat(parse("{\"autoRevoke\":null,\"rateLimitPerMinute\":60}").autoRevoke()).isTrue();
    }
}
