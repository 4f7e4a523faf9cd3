package io.keywatch.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * An API token with the viewer role, minted with the admin token for the API phase's load generator: the child JVM
 * gets only what listing alerts needs, and is authenticated the way a real client is (a token looked up in the
 * database), not with the bootstrap admin token. Revoked when the phase ends.
 */
record ViewerToken(String id, String value) {

    static final String ROLE = "viewer";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Mints a token that expires in a day, whatever happens to the run. */
    static ViewerToken mint(ApiClient admin) throws IOException, InterruptedException {
        HttpResponse<String> response = admin.post("/api/v1/tokens", "{\"name\":\"bench-api-load\",\"role\":\"" + ROLE
                + "\",\"expiresInDays\":1,\"description\":\"keywatch bench: the API phase's load generator\"}");
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /api/v1/tokens answered " + response.statusCode());
        }
        JsonNode body = JSON.readTree(response.body());
        String id = body.path("id").asText("");
        String value = body.path("token").asText("");
        if (id.isEmpty() || value.isEmpty()) {
            throw new IllegalStateException("POST /api/v1/tokens answered without an id or a token");
        }
        return new ViewerToken(id, value);
    }

    void revoke(ApiClient admin) throws IOException, InterruptedException {
        HttpResponse<String> response = admin.delete("/api/v1/tokens/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("DELETE /api/v1/tokens/{id} answered " + response.statusCode());
        }
    }

    @Override
    public String toString() {
        // the token is a credential: never in a message or a log line
        return "ViewerToken[id=" + id + "]";
    }
}
