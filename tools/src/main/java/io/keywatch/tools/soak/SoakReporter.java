package io.keywatch.tools.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.SafeText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Prints the soak ledger as a table, and writes it as JSON. */
final class SoakReporter {

    void print(SoakLedger ledger, SoakSettings settings, PrintWriter out) {
        out.printf("keywatch-tools soak ledger: %d s of traffic at about %d events/s over %d keys, %.1f %% hostile, seed %d%n",
                settings.traffic().toSeconds(), settings.rate(), settings.keys(), settings.hostileShare() * 100,
                settings.seed());
        out.printf("  kills: streams %d, api %d%n", ledger.streamsKills(), ledger.apiKills());
        out.printf("  produced            %,10d  (valid %,d of which incident events %,d; hostile %,d)%n",
                ledger.producedTotal(), ledger.producedValid(), ledger.producedIncidentEvents(),
                ledger.producedTotal() - ledger.producedValid());
        out.printf("  = processed         %,10d  (produced - distinct dead-lettered: true by definition, see below)%n",
                ledger.processed());
        out.printf("  + dead-lettered     %,10d  (read_committed; %d duplicate(s), %d without reason, %d without code)%n",
                ledger.deadLettered(), ledger.duplicates(), ledger.withoutReason(), ledger.withoutReasonCode());
        ledger.deadLetteredByCode().forEach((code, n) ->
                out.printf("      %-28s %,8d%n", SafeText.escape(code, 60), n));
        out.printf("  valid records dead-lettered: %d; dead letters matching no record: %d%n",
                ledger.deadLetteredValid(), ledger.deadLetteredUnattributed());
        out.println();
        out.printf("  %-22s %-19s %-23s %8s %8s %8s  %s%n", "hostile kind", "expected", "reason code", "sent", "dead",
                "wrong", "");
        for (HostileKind kind : HostileKind.values()) {
            long sent = ledger.producedHostile().getOrDefault(kind, 0L);
            long dead = ledger.deadLetteredHostile().getOrDefault(kind, 0L);
            long wrong = ledger.wrongReasonCode().getOrDefault(kind, 0L);
            boolean ok = (kind.expectation() == HostileKind.Expectation.DEAD_LETTERED ? dead == sent : dead == 0)
                    && wrong == 0;
            out.printf("  %-22s %-19s %-23s %8d %8d %8d  %s%n", kind,
                    kind.expectation().name().toLowerCase(java.util.Locale.ROOT), kind.expectedCode().orElse("-"),
                    sent, dead, wrong, ok ? "ok" : "OFF");
        }
        out.printf("  dead letters coded %s: %d%n", HostileKind.FAILURE_CODES.stream().sorted().toList(),
                ledger.failureCodes());
        out.printf("  secret alerts (SECRET_IN_TELEMETRY): %d; of %d secret(s) sent, shown in clear in:%n",
                ledger.secretAlerts(), ledger.secretsSent());
        ledger.secretsShownByPlace().forEach((place, n) ->
                out.printf("      %-28s %,8d  %s%n", place, n, n == 0 ? "ok" : "OFF"));
        out.println();
        out.printf("  %-20s %-30s %-22s %s%n", "incident", "key", "expected alert", "in API");
        for (SoakLedger.IncidentCheck incident : ledger.incidents()) {
            out.printf("  %-20s %-30s %-22s %d %s%n", incident.kind(), incident.keyId(), incident.rule(),
                    incident.alertsInApi(), incident.alertsInApi() == 1 ? "ok" : "OFF");
        }
        out.println();
        out.printf("  %-30s %9s %9s %9s%n", "incident key (independent count)", "produced", "dead", "counted");
        for (SoakLedger.CountCheck count : ledger.counts()) {
            out.printf("  %-30s %9d %9d %9d %s%n", count.keyId(), count.produced(), count.deadLettered(),
                    count.counted(), count.ok() ? "ok" : "OFF");
        }
        out.println();
        ledger.streamsOffsets().forEach((partition, offsets) -> out.printf(
                "  streams group on usage-events-%d: committed %,d, log end %,d%n", partition, offsets[0], offsets[1]));
        out.printf("  api alert consumer behind by %d offset(s)%n", ledger.apiLag());
        if (ledger.scaleOut() != null) {
            printScaleOut(ledger.scaleOut(), out);
        }
        out.println();
        out.println("  'processed' is produced minus dead-lettered: true by definition. Checked independently: every");
        out.println("  record consumed (offsets above), none dead-lettered twice, each incident's alert, and for the");
        out.println("  incident keys only, the requests the topology's usage store holds (changelog) against the events");
        out.println("  produced minus dead-lettered. Not checked: the counts of the ordinary traffic's keys.");
        out.println();
        if (ledger.balances()) {
            out.println("BALANCED");
        } else {
            out.println("DOES NOT BALANCE:");
            ledger.problems().forEach(problem -> out.println("  - " + problem));
        }
        out.flush();
    }

    private static void printScaleOut(ScaleOutReport scale, PrintWriter out) {
        out.println();
        out.printf("  scale-out: %d streams instance(s), %d api instance(s), killed streams instances %s%n",
                scale.streamsInstances(), scale.apiInstances(), scale.restart() ? "restarted" : "left dead");
        for (PartitionMove move : scale.partitionMoves()) {
            out.printf("  kill %d of %-10s partitions %s -> %s, group %s after %.1f s  %s%n", move.kill(),
                    move.killed(), move.killedPartitions(), move.takenBy(), move.settled() ? "settled" : "NOT settled",
                    move.secondsToSettle(), move.problem() == null ? "ok" : "OFF");
            out.printf("      before %s, after %s%n", move.before(), move.after());
        }
        long revocations = scale.revocationsByKey().values().stream().mapToLong(Long::longValue).sum();
        out.printf("  revocations: %d of %d key(s) in the audit log, %d on the key-state topic; revoked twice: %d  %s%n",
                revocations, scale.revocationsByKey().size(),
                scale.keyStateRevocations().values().stream().mapToLong(Long::longValue).sum(),
                scale.keysRevokedTwice().size(), scale.keysRevokedTwice().isEmpty() ? "ok" : "OFF");
        boolean webhooksOk = scale.keysWithoutWebhook().isEmpty() && scale.keysWithExtraWebhookIds().isEmpty()
                && scale.badSignatures() == 0 && scale.keyRevokedIds() == revocations;
        out.printf("  webhooks: %d key.revoked deliveries, %d distinct id(s) for %d revocation(s), %d duplicate(s) of an "
                        + "id, %d bad signature(s)  %s%n", scale.keyRevokedDeliveries(), scale.keyRevokedIds(),
                revocations, scale.duplicateDeliveries(), scale.badSignatures(), webhooksOk ? "ok" : "OFF");
        out.printf("  lag at the end: streams group %d, api group %s%n",
                scale.streamsLag(), scale.apiLagByPartition());
    }

    /** Per kill: restart to RUNNING and to detecting again (an incident published right after the start). */
    void printRestarts(List<RestartProbe.Figure> restarts, PrintWriter out) {
        if (!restarts.isEmpty()) {
            out.println();
            out.println("  restarts of the streams child after SIGKILL (an incident published right after each start):");
            RestartReport.print(restarts, out);
            out.flush();
        }
    }

    void writeJson(SoakLedger ledger, SoakSettings settings, List<RestartProbe.Figure> restarts, Path file)
            throws IOException {
        ObjectMapper mapper = KeywatchJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.valueToTree(ledger);
        root.set("restarts", mapper.valueToTree(restarts));
        root.set("restartMedians", mapper.valueToTree(RestartReport.medians(restarts)));
        root.put("balances", ledger.balances());
        ObjectNode run = root.putObject("settings");
        run.put("trafficSeconds", settings.traffic().toSeconds());
        run.put("kills", settings.kills());
        run.put("rate", settings.rate());
        run.put("keys", settings.keys());
        run.put("hostileShare", settings.hostileShare());
        run.put("seed", settings.seed());
        if (ledger.scaleOut() != null) {
            run.put("streams", ledger.scaleOut().streamsInstances());
            run.put("apis", ledger.scaleOut().apiInstances());
            run.put("restart", ledger.scaleOut().restart());
        }
        root.put("producedTotal", ledger.producedTotal());
        Files.writeString(file, mapper.writeValueAsString(root));
    }
}
