package io.keywatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.json.JavalinJackson;
import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.errors.StateConflictException;
import io.keywatch.api.http.JettyJsonErrors;
import io.keywatch.api.http.RequestParams;
import io.keywatch.api.keys.KeyStatePublishException;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.ApiClient;
import io.keywatch.events.KeywatchJson;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failures a client cannot cause on the real routes, on a small app with the same error handling. */
class ErrorHandlersTest {

    private static final String SECRETISH = "sk_live_value_that_must_not_be_echoed";

    private static Javalin app;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(KeywatchJson.newMapper(), false));
            config.startup.showJavalinBanner = false;
            config.routes.get("/boom", ctx -> {
                throw new IllegalStateException("connection to db-internal-7 refused");
            });
            config.routes.get("/unannounced", ctx -> {
                throw new KeyStatePublishException("broker down", null);
            });
            config.routes.get("/refused", ctx -> {
                throw new IllegalStateException("wrapped", new SQLException("invalid byte sequence for encoding "
                        + "\"UTF8\": 0x00 in " + SECRETISH, "22021"));
            });
            config.routes.get("/invalid", ctx -> {
                throw new InvalidInputException("limit must be between 1 and 500, got 0");
            });
            config.routes.get("/bad-request", ctx -> {
                throw new BadRequestResponse("limit must be between 1 and 500, got 0");
            });
            config.routes.get("/conflict", ctx -> {
                throw new StateConflictException("key key_live_42 is active, not revoked");
            });
            config.routes.get("/items/{id}", ctx -> ctx.result(RequestParams.idParam(ctx, "id")));
            config.http.maxRequestSize = ApiServer.MAX_REQUEST_BYTES;
            JettyJsonErrors.install(config);
            ErrorHandlers.register(config.routes);
        }).start(0);
        client = new ApiClient(app.port(), null);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    @Test
    void anUnexpectedErrorIsA500WithAGenericMessage() {
        Response response = client.get("/boom");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json().path("status").asInt()).isEqualTo(500);
        assertThat(response.json().path("error").asText()).isEqualTo("Internal Server Error");
        assertThat(response.json().path("message").asText()).doesNotContain("db-internal-7");
    }

    @Test
    void theDomainsInvalidInputIsA400ExactlyAsJavalinsBadRequestWas() {
        Response invalid = client.get("/invalid");
        Response badRequest = client.get("/bad-request");

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.contentType()).startsWith("application/json");
        assertThat(invalid.body()).isEqualTo(badRequest.body());
        assertThat(invalid.json().path("error").asText()).isEqualTo("Bad Request");
        assertThat(invalid.json().path("message").asText()).isEqualTo("limit must be between 1 and 500, got 0");
    }

    @Test
    void theDomainsStateConflictIsA409WithItsMessage() {
        Response response = client.get("/conflict");

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().path("status").asInt()).isEqualTo(409);
        assertThat(response.json().path("message").asText()).isEqualTo("key key_live_42 is active, not revoked");
    }

    @Test
    void aRevocationThatCouldNotBeAnnouncedIsA503AskingForARetry() {
        Response response = client.get("/unannounced");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().path("message").asText()).contains("retry");
    }

    @Test
    void aDataExceptionFromPostgresIsA400InvalidValueThatEchoesNothing() {
        Response response = client.get("/refused");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("message").asText()).startsWith("invalid value");
        assertThat(response.body()).doesNotContain(SECRETISH);
    }

    @Test
    void aPathJettyRefusesIsA400InTheJsonShape() {
        for (String path : new String[] {"/items/a%00b", "/items/%C0%AF", "/items/a%01b"}) {
            Response response = client.get(path);

            assertThat(response.status()).as(path).isEqualTo(400);
            assertThat(response.contentType()).as(path).startsWith("application/json");
            assertThat(response.json().size()).as(path).isEqualTo(3);
        }
    }

    @Test
    void aUriTooLongIsA414InTheJsonShape() {
        Response response = client.get("/items/" + "k".repeat(20_000));

        assertThat(response.status()).isEqualTo(414);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().path("status").asInt()).isEqualTo(414);
    }
}
