package io.keywatch.tools.soak;

import io.keywatch.standalone.dlq.DeadLetterRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;

/**
 * Looks for every secret the soak sent in every place an operator (or an attacker with read access) could see it:
 * dead letters (key, value, headers), the services' logs, the API's listings. A secret is "shown" in a place when
 * its exact text occurs there anywhere; the result counts secrets, not occurrences, per place.
 */
final class SecretScan {

    private final List<String> secrets;
    private final Map<String, Long> shownByPlace = new LinkedHashMap<>();

    SecretScan(List<String> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** Key, value and every header (name and value) of each dead letter, as raw bytes. */
    SecretScan deadLetters(String place, List<DeadLetterRecord> records) {
        StringBuilder all = new StringBuilder();
        for (DeadLetterRecord record : records) {
            all.append(latin1(record.key())).append('\n').append(latin1(record.value())).append('\n');
            for (Header header : record.headers()) {
                all.append(header.key()).append('=').append(latin1(header.value())).append('\n');
            }
        }
        return text(place, all.toString());
    }

    /** A log file, read as bytes (a missing file shows nothing; a file that cannot be read fails the run). */
    SecretScan file(String place, Path file) throws IOException {
        return text(place, Files.exists(file) ? latin1(Files.readAllBytes(file)) : "");
    }

    /** Text as the API returned it. */
    SecretScan text(String place, String text) {
        // the secrets are ASCII: as Latin-1 each byte is one char, so a byte search needs no decoding of the rest
        shownByPlace.put(place, secrets.stream().filter(text::contains).count());
        return this;
    }

    Map<String, Long> shownByPlace() {
        return Map.copyOf(shownByPlace);
    }

    private static String latin1(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
