package io.keywatch.api.webhooks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST to an address fixed in advance: the socket connects to the address {@link SsrfGuard} checked,
 * never resolving the host name again, while TLS still sends the name (SNI) and verifies the certificate against
 * it, and the Host header carries it. Reads the status line and headers only (at most {@value #MAX_HEAD_BYTES}
 * bytes); the body is never read. {@code java.net.http.HttpClient} resolves names itself and cannot be pinned.
 */
final class PinnedPost {

    static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})( .*)?");

    /** What came back: the status code, its line, and the headers kept (lower-case names). */
    record Answer(int status, String statusLine, Map<String, String> headers) {
    }

    /** The connect phase timed out; other timeouts are {@link SocketTimeoutException}s. */
    static final class ConnectTimeout extends IOException {
        ConnectTimeout(Throwable cause) {
            super("connect timed out", cause);
        }
    }

    private final SSLSocketFactory tls;

    PinnedPost(SSLSocketFactory tls) {
        this.tls = tls;
    }

    static PinnedPost withDefaultTrust() {
        return new PinnedPost((SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    Answer post(URI url, InetAddress address, Map<String, String> headers, byte[] body, Duration connectTimeout,
                Duration requestTimeout) throws IOException {
        boolean https = url.getScheme().toLowerCase(Locale.ROOT).equals("https");
        int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
        String host = SsrfGuard.normalizeHost(url.getHost());
        Socket plain = new Socket();
        try (plain) {
            try {
                plain.connect(new InetSocketAddress(address, port), Math.toIntExact(connectTimeout.toMillis()));
            } catch (SocketTimeoutException e) {
                throw new ConnectTimeout(e);
            }
            long deadline = System.nanoTime() + requestTimeout.toNanos();
            try (Socket socket = https ? tls(plain, host, port, deadline) : plain) {
                OutputStream out = socket.getOutputStream();
                out.write(head(url, host, port, https, headers, body.length));
                out.write(body);
                out.flush();
                return readHead(socket, deadline);
            }
        }
    }

    private SSLSocket tls(Socket plain, String host, int port, long deadline) throws IOException {
        // the host name, not the address: SNI and certificate verification as if the client had resolved it
        SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.contains(":") && !host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(remainingMs(deadline));
        ssl.startHandshake();
        return ssl;
    }

    private static byte[] head(URI url, String host, int port, boolean https, Map<String, String> headers,
                               int length) {
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host)
                + (port == (https ? 443 : 80) ? "" : ":" + port);
        StringBuilder head = new StringBuilder("POST ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n");
        // header names and values were validated by HttpRequest.Builder in WebhookSender.prepare: no CR or LF
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(length).append("\r\n")
                .append("Connection: close\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Answer readHead(Socket socket, long deadline) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            socket.setSoTimeout(remainingMs(deadline));
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the response headers ended");
            }
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("response headers longer than " + MAX_HEAD_BYTES + " bytes");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        var status = STATUS_LINE.matcher(lines[0]);
        if (!status.matches()) {
            throw new IOException("not an HTTP/1.x status line");
        }
        Map<String, String> kept = new java.util.HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                kept.putIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        return new Answer(Integer.parseInt(status.group(1)), lines[0], Map.copyOf(kept));
    }

    private static int remainingMs(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException("request deadline passed");
        }
        return Math.toIntExact(Math.min(ms, Integer.MAX_VALUE));
    }
}
