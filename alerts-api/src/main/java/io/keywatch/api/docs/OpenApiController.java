package io.keywatch.api.docs;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the API's OpenAPI 3.1 document at {@value #PATH}, to anyone: it describes the routes and holds no secret, and
 * a client generator or a fuzzer needs it before it has a credential. The document is authored
 * ({@code openapi/openapi.json} on the classpath), not generated: no OpenAPI plugin exists for Javalin 7, and the tests
 * keep it true (every registered route is documented with the role it declares, every answer the API tests see
 * validates against it).
 */
public final class OpenApiController {

    public static final String PATH = "/openapi.json";

    /** Where the document is on the classpath. */
    static final String RESOURCE = "/openapi/openapi.json";

    private final byte[] document;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void document(Context ctx) {
        // revalidated on each load: a new jar may bring a new document
        ctx.header("Cache-Control", "no-cache").contentType("application/json").result(document);
    }
}
