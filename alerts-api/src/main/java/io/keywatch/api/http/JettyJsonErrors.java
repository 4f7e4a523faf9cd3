package io.keywatch.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The {@link ApiError} shape for the errors Jetty answers itself, before a request reaches Javalin: a path Jetty
 * refuses ({@code %00}, an ambiguous {@code %2F}), a URI or headers too long (414, 431), a malformed request line.
 * Without it they are HTML pages, and a client would have to parse two error formats. Messages are Jetty's fixed
 * reason phrases, never the request's text.
 */
public final class JettyJsonErrors extends ErrorHandler {

    /** Makes Jetty's own error responses (the server's and the servlet context's) JSON. */
    public static void install(JavalinConfig config) {
        JettyJsonErrors errors = new JettyJsonErrors();
        config.jetty.modifyServer(server -> server.setErrorHandler(errors));
        config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
    }

    private final ObjectMapper json = new ObjectMapper();

    /** Every error Jetty dispatches here, for any method and any Accept header, as JSON. */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
        if (status < 400) {
            status = 500;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(status)), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status));
    }

    private byte[] body(int status) {
        ApiError error = ApiError.of(status, message(status));
        try {
            return json.writeValueAsBytes(error);
        } catch (JsonProcessingException e) {
            // a record of an int and two plain strings always serializes
            throw new IllegalStateException(e);
        }
    }

    public static String message(int status) {
        return switch (status) {
            case 400 -> "the request's path or headers are malformed (e.g. an encoded NUL, control character or "
                    + "ambiguous separator in the path)";
            case 413 -> "the request body is larger than " + JsonBodies.MAX_REQUEST_BYTES + " bytes";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            default -> ApiError.of(status, "").error();
        };
    }
}
