package io.keywatch.standalone.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.SafeText;
import java.io.PrintWriter;
import java.util.Map;

/** Prints listings and replay summaries; every string that came from a record is escaped and cut to a preview. */
final class DlqPrinter {

    static final int KEY_CHARS = 120;
    static final int VALUE_CHARS = 160;
    static final int REASON_CHARS = 300;
    static final int CODE_CHARS = 60;

    private static final ObjectMapper JSON = KeywatchJson.newMapper();

    private final PrintWriter out;

    DlqPrinter(PrintWriter out) {
        this.out = out;
    }

    void listing(DeadLetterListing listing) {
        out.printf("%s: %,d record(s), %,d matching%n", safe(listing.topic()), listing.total(), listing.matching());
        counts(listing.byReasonCode());
        if (!listing.shown().isEmpty()) {
            out.println();
            out.printf("%-40s %-24s %-40s %-20s %s%n", "dead letter", "time", "origin", "code", "reason / key / value");
        }
        for (DeadLetterRecord record : listing.shown()) {
            out.printf("%-40s %-24s %-40s %-20s %s%n", safe(record.location().toString()), record.timestamp(),
                    SafeText.preview(record.originText().orElse("-"), 80),
                    SafeText.preview(record.reasonCode(), CODE_CHARS),
                    SafeText.preview(record.reason().orElse("-"), REASON_CHARS));
            out.printf("    key:   %s%n", SafeText.preview(record.key(), KEY_CHARS));
            out.printf("    value: %s%n", SafeText.preview(record.value(), VALUE_CHARS));
        }
        if (listing.matching() > listing.shown().size()) {
            out.printf("(%,d more not shown; --limit to see more)%n", listing.matching() - listing.shown().size());
        }
        out.flush();
    }

    void listingJson(DeadLetterListing listing) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("topic", listing.topic());
        root.put("total", listing.total());
        root.put("matching", listing.matching());
        ObjectNode counts = root.putObject("byReasonCode");
        listing.byReasonCode().forEach((code, n) -> counts.put(SafeText.preview(code, CODE_CHARS), n));
        ArrayNode records = root.putArray("records");
        for (DeadLetterRecord record : listing.shown()) {
            ObjectNode node = records.addObject();
            node.put("deadLetter", record.location().toString());
            node.put("timestamp", record.timestamp().toString());
            node.put("origin", record.originText().map(o -> SafeText.preview(o, 80)).orElse(null));
            node.put("reasonCode", SafeText.preview(record.reasonCode(), CODE_CHARS));
            node.put("reason", record.reason().map(r -> SafeText.preview(r, REASON_CHARS)).orElse(null));
            node.put("keyPreview", record.key() == null ? null : SafeText.preview(record.key(), KEY_CHARS));
            node.put("valuePreview", record.value() == null ? null : SafeText.preview(record.value(), VALUE_CHARS));
            node.put("valueBytes", record.value() == null ? 0 : record.value().length);
        }
        out.println(JSON.writeValueAsString(root));
        out.flush();
    }

    void replay(DeadLetterReplayer.Summary summary, String topic) {
        String verb = summary.dryRun() ? "would replay" : "replayed";
        String skipVerb = summary.dryRun() ? "would skip" : "skipped";
        for (DeadLetterReplayer.Outcome outcome : summary.outcomes()) {
            String from = safe(outcome.record().location().toString());
            if (outcome.skipped().isPresent()) {
                out.printf("%s %s%s: SKIPPED, %s%n", skipVerb, from,
                        outcome.target().map(t -> " (-> " + safe(t) + ")").orElse(""), safe(outcome.skipped().get()));
            } else {
                out.printf("%s %s -> %s%n", verb, from, outcome.target().map(DlqPrinter::safe).orElse("-"));
            }
        }
        out.printf("%s %,d record(s) from %s%s%n", verb, summary.replayedTotal(), safe(topic),
                summary.skippedTotal() > 0 ? String.format(", skipped %,d", summary.skippedTotal()) : "");
        summary.replayed().forEach((code, n) ->
                out.printf("  %-30s %,10d%n", SafeText.preview(code, CODE_CHARS), n));
        summary.skipped().forEach((code, n) ->
                out.printf("  %-30s %,10d skipped%n", SafeText.preview(code, CODE_CHARS), n));
        out.flush();
    }

    private void counts(Map<String, Long> byCode) {
        byCode.forEach((code, n) -> out.printf("  %-30s %,10d%n", SafeText.preview(code, CODE_CHARS), n));
    }

    private static String safe(String text) {
        return SafeText.preview(text, 300);
    }
}
