package io.keywatch.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.support.ApiClient.Response;

/** Checks shared by the HTTP tests. */
public final class ApiAssertions {

    private ApiAssertions() {
    }

    /** The one error shape: exactly status, error and message. Returns the message. */
    public static String assertError(Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("error").asText()).isNotBlank();
        assertThat(response.json().path("message").asText()).isNotBlank();
        assertThat(response.json().size()).as("exactly status, error and message").isEqualTo(3);
        return response.json().path("message").asText();
    }

    public static Response assertOk(Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response;
    }
}
