package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.auth.AdminTokenAuthenticator;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.auth.Role;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerTokenAuthTest {

    private final BearerTokenAuth auth = new BearerTokenAuth(List.of(new AdminTokenAuthenticator("correct-token"),
            credential -> credential.equals("viewer-token")
                    ? Optional.of(new Principal("token:ops", Role.VIEWER, "api-token")) : Optional.empty()));

    @Test
    void acceptsTheConfiguredTokenWithAnyCaseOfTheScheme() {
        assertThat(auth.authenticate("Bearer correct-token")).contains(Principal.bootstrapAdmin());
        assertThat(auth.authenticate("bearer correct-token")).contains(Principal.bootstrapAdmin());
    }

    @Test
    void theFirstAuthenticatorThatKnowsTheCredentialDecides() {
        assertThat(auth.authenticate("Bearer viewer-token")).map(Principal::role).contains(Role.VIEWER);
    }

    @Test
    void rejectsMissingWrongAndMalformedCredentials() {
        assertThat(auth.authenticate(null)).isEmpty();
        assertThat(auth.authenticate("")).isEmpty();
        assertThat(auth.authenticate("Bearer ")).isEmpty();
        assertThat(auth.authenticate("Bearer    ")).isEmpty();
        assertThat(auth.authenticate("Bearer wrong-token")).isEmpty();
        assertThat(auth.authenticate("Bearer correct-token-and-more")).isEmpty();
        assertThat(auth.authenticate("Basic correct-token")).isEmpty();
        assertThat(auth.authenticate("correct-token")).isEmpty();
    }
}
