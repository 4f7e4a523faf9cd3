package io.keywatch.api.alerts.stream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client on a plain socket (HTTP/1.0, so the body is not chunked): closing it really closes the
 * connection, as a browser tab that goes away does. Events and comment lines are queued as they arrive.
 */
final class SseTestClient implements AutoCloseable {

    /** One event: its id (null when none), type and data. */
    record Event(String id, String event, String data) {
    }

    private final Socket socket;
    private final BufferedReader reader;
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private String body;

    private SseTestClient(int port, String pathAndQuery, String token, Map<String, String> extraHeaders)
            throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.0\r\nHost: localhost\r\n"
                + "Accept: text/event-stream\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        extraHeaders.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String statusLine = reader.readLine();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        String line;
        while ((line = reader.readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        if (status != 200) {
            StringBuilder text = new StringBuilder();
            while ((line = reader.readLine()) != null) {
                text.append(line);
            }
            body = text.toString();
            socket.close();
        } else {
            Thread thread = new Thread(this::readEvents, "sse-test-client");
            thread.setDaemon(true);
            thread.start();
        }
    }

    static SseTestClient open(int port, String pathAndQuery, String token) {
        return open(port, pathAndQuery, token, Map.of());
    }

    static SseTestClient open(int port, String pathAndQuery, String token, Map<String, String> headers) {
        try {
            return new SseTestClient(port, pathAndQuery, token, headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body of a refusal (status other than 200). */
    String body() {
        return body;
    }

    private void readEvents() {
        String id = null;
        String event = null;
        StringBuilder data = null;
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null || event != null) {
                        received.add(new Event(id, event, data == null ? null : data.toString()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    received.add(line);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder() : data.append('\n');
                    data.append(line.substring(6));
                }
            }
            received.add("EOF");
        } catch (IOException e) {
            received.add("EOF");
        }
    }

    /** The next event (comments skipped), or null when none comes in time or the stream ended. */
    Event nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object item = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (item == null || "EOF".equals(item)) {
                return null;
            }
            if (item instanceof Event event) {
                return event;
            }
        }
    }

    /** Waits until the server ends the stream, skipping what comes before; false when it is still open in time. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object item = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (item == null) {
                return false;
            }
            if ("EOF".equals(item)) {
                return true;
            }
        }
    }

    /** Waits for a comment line equal to {@code comment}, skipping events; false when none comes in time. */
    boolean awaitComment(String comment, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object item = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (item == null || "EOF".equals(item)) {
                return false;
            }
            if (comment.equals(item)) {
                return true;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
