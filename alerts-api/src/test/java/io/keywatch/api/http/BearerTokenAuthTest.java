package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenAuthTest {

    private final BearerTokenAuth auth = new BearerTokenAuth("correct-token");

    @Test
    void acceptsTheConfiguredTokenWithAnyCaseOfTheScheme() {
        assertThat(auth.isAuthorized("Bearer correct-token")).isTrue();
        assertThat(auth.isAuthorized("bearer correct-token")).isTrue();
    }

    @Test
    void rejectsMissingWrongAndMalformedCredentials() {
        assertThat(auth.isAuthorized(null)).isFalse();
        assertThat(auth.isAuthorized("")).isFalse();
        assertThat(auth.isAuthorized("Bearer ")).isFalse();
        assertThat(auth.isAuthorized("Bearer wrong-token")).isFalse();
        assertThat(auth.isAuthorized("Bearer correct-token-and-more")).isFalse();
        assertThat(auth.isAuthorized("Basic correct-token")).isFalse();
        assertThat(auth.isAuthorized("correct-token")).isFalse();
    }
}
