package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.auth.Role;
import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.silences.SilenceRequest;
import io.keywatch.api.tokens.TokenRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodiesBindTest {

    private static TokenRequest token(String json) {
        return JsonBodies.bind(json.getBytes(StandardCharsets.UTF_8), TokenRequest.class, "{}");
    }

    private static String refusal(String json) {
        try {
            token(json);
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted " + json);
    }

    @Test
    void bindsAValidBodyStrippingTexts() {
        TokenRequest request = token("{\"name\":\" ci \",\"role\":\"Viewer\",\"expiresInDays\":30}");
        assertThat(request.name()).isEqualTo("ci");
        assertThat(request.parsedRole()).isEqualTo(Role.VIEWER);
        assertThat(request.expiresInDays()).isEqualTo(30);
        assertThat(request.description()).isNull();
    }

    @Test
    void refusesUnknownFieldsNamingTheAllowedOnes() {
        assertThat(refusal("{\"name\":\"a\",\"role\":\"viewer\",\"expiresindays\":3}"))
                .isEqualTo("unknown field, expected some of [description, expiresInDays, name, role]");
    }

    @Test
    void neverQuotesTheNameOfAnUnknownFieldAnAttackersStringOrASecretInTheWrongPlace() {
        String secretShaped = "kw_live_7f3a9c2e4b1d8f6a0c5e3b7d9f1a2c4e";
        String refusal = refusal("{\"name\":\"a\",\"role\":\"viewer\",\"" + secretShaped + "\":1}");
        assertThat(refusal).isEqualTo("unknown field, expected some of [description, expiresInDays, name, role]")
                .doesNotContain("kw_live").doesNotContain("7f3a9c");
        assertThat(refusal("{\"<script>\":1}")).doesNotContain("script");
    }

    /** A body with a nested record, to show where an unknown field sits. */
    record Outer(java.util.List<Inner> items) {
    }

    record Inner(String name) {
    }

    @Test
    void saysWhereAnUnknownFieldSitsByKnownNamesAndIndicesOnly() {
        assertThatThrownBy(() -> JsonBodies.bind("{\"items\":[{\"name\":\"a\"},{\"sk_x\":1}]}"
                .getBytes(StandardCharsets.UTF_8), Outer.class, "{}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown field in items[1], expected some of [name]");
    }

    @Test
    void neverCoercesScalars() {
        assertThat(refusal("{\"name\":\"a\",\"role\":\"viewer\",\"expiresInDays\":\"30\"}"))
                .isEqualTo("expiresInDays must be a whole number in range, got string");
        assertThat(refusal("{\"name\":\"a\",\"role\":\"viewer\",\"expiresInDays\":1.5}"))
                .isEqualTo("expiresInDays must be a whole number in range, got number");
        assertThat(refusal("{\"name\":\"a\",\"role\":\"viewer\",\"expiresInDays\":true}"))
                .isEqualTo("expiresInDays must be a whole number in range, got boolean");
        assertThat(refusal("{\"name\":\"a\",\"role\":\"viewer\",\"expiresInDays\":99999999999999}"))
                .startsWith("expiresInDays must be a whole number in range");
        assertThat(refusal("{\"name\":42,\"role\":\"viewer\"}")).isEqualTo("name must be a string, got number");
        assertThat(refusal("{\"name\":false,\"role\":\"viewer\"}")).isEqualTo("name must be a string, got boolean");
        assertThat(refusal("{\"name\":[\"a\"],\"role\":\"viewer\"}")).isEqualTo("name must be a string, got array");
        assertThat(refusal("{\"name\":{},\"role\":\"viewer\"}")).isEqualTo("name must be a string, got object");
    }

    @Test
    void recordsCheckTheirOwnFields() {
        assertThat(refusal("{\"role\":\"viewer\"}")).isEqualTo("name is required");
        assertThat(refusal("{\"name\":\"  \",\"role\":\"viewer\"}")).isEqualTo("name must not be blank");
        assertThat(refusal("{\"name\":\"a\\u0000b\",\"role\":\"viewer\"}")).startsWith("name contains the control");
        assertThat(refusal("{\"name\":\"a\",\"role\":\"root\"}")).startsWith("role: a role is");
        assertThat(refusal("{\"name\":\"a\",\"role\":null}")).isEqualTo("role is required");
    }

    @Test
    void refusesWhatIsNotExactlyOneObject() {
        assertThat(refusal("")).startsWith("request body must be a JSON object");
        assertThat(refusal("[]")).startsWith("request body must be a JSON object");
        assertThat(refusal("\"x\"")).startsWith("request body must be a JSON object");
        assertThat(refusal("{\"name\":\"a\",\"role\":\"viewer\"} {}")).startsWith("request body is not valid JSON");
        assertThat(refusal("{\"name\":\"a\",\"name\":\"b\",\"role\":\"viewer\"}"))
                .startsWith("request body is not valid JSON").contains("Duplicate field");
        assertThat(refusal("{\"name\":\"a\",")).startsWith("request body is not valid JSON at line 1");
        assertThat(refusal("{\"a\\u0001\":1}")).startsWith("a field name in the request body contains the control");
    }

    @Test
    void silenceRequestsCheckKeyIdRuleAndInstant() {
        assertThatThrownBy(() -> JsonBodies.bind("{\"rule\":\"NOPE\"}".getBytes(StandardCharsets.UTF_8),
                SilenceRequest.class, "{}")).isInstanceOf(InvalidInputException.class).hasMessageStartingWith("rule: ");
        assertThatThrownBy(() -> JsonBodies.bind("{\"expiresAt\":\"tomorrow\"}".getBytes(StandardCharsets.UTF_8),
                SilenceRequest.class, "{}")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("expiresAt");
        assertThatThrownBy(() -> JsonBodies.bind("{\"expiresAt\":1700000000}".getBytes(StandardCharsets.UTF_8),
                SilenceRequest.class, "{}")).hasMessage("expiresAt must be a string, got number");
        SilenceRequest ok = JsonBodies.bind(("{\"keyId\":\"k1\",\"rule\":\"volume_spike\","
                + "\"expiresAt\":\"2026-11-28T19:00:00Z\",\"comment\":\"a\\nb\"}").getBytes(StandardCharsets.UTF_8),
                SilenceRequest.class, "{}");
        assertThat(ok.rule()).isEqualTo("VOLUME_SPIKE");
        assertThat(ok.expiry()).hasToString("2026-11-28T19:00:00Z");
    }

    @Test
    void hostileValuesAreRefusedNamingTheFieldNeverEchoingASecret() {
        // a megabyte string: past the parser's string bound, refused before any record sees it
        assertThat(refusal("{\"name\":\"" + "a".repeat(1_000_000) + "\",\"role\":\"viewer\"}"))
                .startsWith("request body is not valid JSON");
        // long, but within the parser's bound: the field's own limit
        assertThat(refusal("{\"name\":\"" + "a".repeat(10_000) + "\",\"role\":\"viewer\"}")).startsWith("name ");
        // a date in year 999999999
        assertThatThrownBy(() -> JsonBodies.bind("{\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}"
                .getBytes(StandardCharsets.UTF_8), SilenceRequest.class, "{}"))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("expiresAt");
        // a secret-shaped key id: refused, and the message does not repeat it
        String secretShaped = "kw_abcdefgh_" + "A".repeat(43);
        assertThatThrownBy(() -> JsonBodies.bind(("{\"keyId\":\"" + secretShaped + "\"}")
                .getBytes(StandardCharsets.UTF_8), SilenceRequest.class, "{}"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith("keyId").doesNotContain(secretShaped));
    }
}
