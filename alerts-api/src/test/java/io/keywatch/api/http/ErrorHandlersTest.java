package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.keywatch.api.keys.KeyStatePublishException;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.events.KeywatchJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failures a client cannot cause on the real routes, on a small app with the same error handling. */
class ErrorHandlersTest {

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
    void aRevocationThatCouldNotBeAnnouncedIsA503AskingForARetry() {
        Response response = client.get("/unannounced");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.json().path("message").asText()).contains("retry");
    }
}
