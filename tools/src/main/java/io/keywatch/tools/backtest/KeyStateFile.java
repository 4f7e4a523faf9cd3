package io.keywatch.tools.backtest;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeywatchJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A key registry as JSON lines of {@link KeyState}, the key-state topic's format (what {@code keywatch-tools simulate-day
 * --registry} writes). Read whole: a registry with a broken line would make every key on it look unknown, so any bad
 * line fails the read, naming each.
 */
public final class KeyStateFile {

    private KeyStateFile() {
    }

    /** @throws InputException if the file cannot be read or a line is not a key state */
    public static List<KeyState> read(Path file) {
        JsonSerde<KeyState> serde = new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class);
        List<KeyState> states = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    KeyState state = serde.fromBytes(line.getBytes(StandardCharsets.UTF_8));
                    if (state == null) {
                        problems.add(file + ":" + number + ": expected a key state object, got null");
                    } else {
                        states.add(state);
                    }
                } catch (SerializationException e) {
                    problems.add(file + ":" + number + ": not a key state (keyId, status, changedAt required): "
                            + firstLine(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new InputException("cannot read keys file " + file + ": " + EventLines.describe(e), e);
        }
        if (!problems.isEmpty()) {
            throw InputException.of("keys file " + file + " has " + problems.size() + " bad line"
                    + (problems.size() == 1 ? "" : "s") + ":", problems);
        }
        return states;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
