package io.keywatch.standalone.dlq;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a record was, as keywatch writes it in {@code keywatch.dlq.origin}: {@code topic-partition@offset}. */
public record Origin(String topic, int partition, long offset) {

    // topic names may contain '-': the partition is the last dash-separated number before '@'
    private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9._-]{1,249})-(\\d{1,9})@(\\d{1,19})");

    public static Optional<Origin> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Origin(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3))));
        } catch (NumberFormatException e) {
            return Optional.empty(); // beyond int or long: not an origin keywatch wrote
        }
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
