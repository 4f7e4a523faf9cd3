package io.keywatch.api.http;

import io.keywatch.events.Env;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the API listens and whether it speaks TLS: {@code KEYWATCH_HTTP_HOST} (the address to bind; the default
 * depends on the process: loopback for the standalone, all interfaces for the {@code api} service in a container)
 * and {@code KEYWATCH_HTTP_TLS_CERT} / {@code KEYWATCH_HTTP_TLS_KEY} (PEM files: the certificate chain, leaf first,
 * and its PKCS#8 private key). Both TLS files or neither.
 *
 * @param tlsCert null when TLS is off
 * @param tlsKey  null when TLS is off
 */
public record HttpListenerSettings(String host, Path tlsCert, Path tlsKey) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final String ALL_INTERFACES = "0.0.0.0";

    public HttpListenerSettings {
        Env.requireText(host, "KEYWATCH_HTTP_HOST");
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException(
                    "KEYWATCH_HTTP_TLS_CERT and KEYWATCH_HTTP_TLS_KEY must be set together (or neither)");
        }
    }

    /** Plain HTTP on {@code host}. */
    public static HttpListenerSettings plain(String host) {
        return new HttpListenerSettings(host, null, null);
    }

    /** From the environment; {@code defaultHost} when {@code KEYWATCH_HTTP_HOST} is unset. */
    public static HttpListenerSettings fromEnv(Map<String, String> variables, String defaultHost) {
        Objects.requireNonNull(defaultHost, "defaultHost");
        Env env = Env.strict(variables);
        String cert = variables.get("KEYWATCH_HTTP_TLS_CERT");
        String key = variables.get("KEYWATCH_HTTP_TLS_KEY");
        return new HttpListenerSettings(env.text("KEYWATCH_HTTP_HOST", defaultHost),
                cert == null ? null : Path.of(Env.requireText(cert, "KEYWATCH_HTTP_TLS_CERT")),
                key == null ? null : Path.of(Env.requireText(key, "KEYWATCH_HTTP_TLS_KEY")));
    }

    public boolean tls() {
        return tlsCert != null;
    }

    public Optional<Path> certificateChain() {
        return Optional.ofNullable(tlsCert);
    }

    public HttpListenerSettings withTls(Path cert, Path key) {
        return new HttpListenerSettings(host, cert, key);
    }
}
