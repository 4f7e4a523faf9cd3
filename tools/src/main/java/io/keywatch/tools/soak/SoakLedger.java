package io.keywatch.tools.soak;

import io.keywatch.events.SafeText;
import io.keywatch.standalone.dlq.DeadLetterRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The soak's accounting. Produced records are counted at the producer (acknowledged, idempotent, so each exactly
 * once in the log). Dead letters are read read_committed from the dead-letter topic and matched to the produced
 * record by its sequence header (or, failing that, by origin offset). "Processed" is produced minus dead-lettered:
 * that is honest only together with the two proofs the ledger also checks, that the streams group's committed
 * offsets are at the log end (every record was consumed) and that no record was dead-lettered twice (exactly once).
 */
public record SoakLedger(
        long producedValid, long producedIncidentEvents, Map<HostileKind, Long> producedHostile,
        long deadLettered, Map<String, Long> deadLetteredByCode, Map<HostileKind, Long> deadLetteredHostile,
        long deadLetteredValid, long deadLetteredUnattributed, long duplicates, long withoutReason,
        long withoutReasonCode, Map<HostileKind, Long> wrongReasonCode, long failureCodes, long processed,
        List<IncidentCheck> incidents, List<CountCheck> counts, long secretAlerts, long secretsSent,
        Map<String, Long> secretsShownByPlace,
        Map<Integer, long[]> streamsOffsets, long apiLag, int streamsKills, int apiKills,
        long sendErrors, List<String> problems, ScaleOutReport scaleOut) {

    /** An incident's expected alert and how many alerts of that rule for that key the API holds. */
    public record IncidentCheck(String kind, String keyId, String rule, long alertsInApi) {
    }

    /**
     * An incident key's events counted independently: produced, dead-lettered (late, say) and the requests the
     * topology holds for it (its usage store's changelog); produced - dead-lettered must equal counted.
     */
    public record CountCheck(String keyId, long produced, long deadLettered, long counted) {
        public boolean ok() {
            return produced - deadLettered == counted;
        }
    }

    public boolean balances() {
        return problems.isEmpty();
    }

    public long producedTotal() {
        return producedValid + producedHostile.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Computes the ledger from what was produced and what was found, and everything that is off. */
    public static SoakLedger of(SoakTraffic.Produced produced, List<DeadLetterRecord> deadLetters,
                                List<IncidentCheck> incidents, Map<String, Long> topologyCounts, long secretAlerts,
                                Map<String, Long> secretsShownByPlace,
                                Map<Integer, long[]> streamsOffsets, long apiLag, int streamsKills, int apiKills) {
        return of(produced, deadLetters, incidents, topologyCounts, secretAlerts, secretsShownByPlace, streamsOffsets,
                apiLag, streamsKills, apiKills, null);
    }

    /** As above, with the scale-out checks (null: none were made); their problems are the ledger's too. */
    public static SoakLedger of(SoakTraffic.Produced produced, List<DeadLetterRecord> deadLetters,
                                List<IncidentCheck> incidents, Map<String, Long> topologyCounts, long secretAlerts,
                                Map<String, Long> secretsShownByPlace,
                                Map<Integer, long[]> streamsOffsets, long apiLag, int streamsKills, int apiKills,
                                ScaleOutReport scaleOut) {
        Map<String, Long> byCode = new TreeMap<>();
        Map<HostileKind, Long> hostileDead = new EnumMap<>(HostileKind.class);
        Map<HostileKind, Long> wrongCode = new EnumMap<>(HostileKind.class);
        List<String> wrongCodeSamples = new ArrayList<>();
        long failureCodes = 0;
        Map<Long, Integer> timesBySeq = new HashMap<>();
        Set<String> validOrigins = new HashSet<>();
        long originDuplicates = 0;
        long valid = 0;
        long unattributed = 0;
        long withoutReason = 0;
        long withoutCode = 0;
        List<String> samples = new ArrayList<>();
        for (DeadLetterRecord dead : deadLetters) {
            byCode.merge(dead.reasonCode(), 1L, Long::sum);
            if (HostileKind.FAILURE_CODES.contains(dead.reasonCode())) {
                failureCodes++;
            }
            if (dead.reason().filter(r -> !r.isBlank()).isEmpty()) {
                withoutReason++;
            }
            if (DeadLetterRecord.UNKNOWN_CODE.equals(dead.reasonCode())) {
                withoutCode++;
            }
            Long seq = seq(dead);
            if (seq == null) {
                seq = dead.originText().map(produced.seqByOrigin()::get).orElse(null);
            }
            if (seq == null) {
                // no sequence header and not a hostile record's origin: a valid record if it came from the topic
                String origin = dead.origin().filter(o -> o.topic().equals(produced.topic()))
                        .map(Object::toString).orElse(null);
                if (origin == null) {
                    unattributed++;
                    continue;
                }
                if (!validOrigins.add(origin)) {
                    originDuplicates++;
                }
                valid++;
                if (samples.size() < 5) {
                    samples.add(origin + " (" + dead.reason().map(r -> SafeText.escape(r, 160)).orElse("no reason") + ")");
                }
                continue;
            }
            timesBySeq.merge(seq, 1, Integer::sum);
            HostileKind kind = produced.hostileBySeq().get(seq);
            if (kind == null) {
                valid++;
                if (samples.size() < 5) {
                    samples.add("seq " + seq + " (" + dead.reason().map(r -> SafeText.escape(r, 160))
                            .orElse("no reason") + ")");
                }
            } else {
                hostileDead.merge(kind, 1L, Long::sum);
                if (kind.expectedCode().filter(code -> !code.equals(dead.reasonCode())).isPresent()) {
                    wrongCode.merge(kind, 1L, Long::sum);
                    if (wrongCodeSamples.size() < 5) {
                        wrongCodeSamples.add(kind + " as " + SafeText.escape(dead.reasonCode(), 60) + " ("
                                + dead.reason().map(r -> SafeText.escape(r, 160)).orElse("no reason") + ")");
                    }
                }
            }
        }
        long duplicates = originDuplicates
                + timesBySeq.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();

        List<String> problems = new ArrayList<>();
        if (produced.sendErrors() > 0) {
            problems.add(produced.sendErrors() + " record(s) could not be published: " + produced.firstSendError());
        }
        streamsOffsets.forEach((partition, offsets) -> {
            if (offsets[0] != offsets[1]) {
                problems.add("streams group committed offset " + offsets[0] + " on partition " + partition
                        + " is not the log end " + offsets[1]);
            }
        });
        if (duplicates > 0) {
            problems.add(duplicates + " record(s) dead-lettered more than once");
        }
        if (withoutReason > 0) {
            problems.add(withoutReason + " dead letter(s) without a reason");
        }
        if (withoutCode > 0) {
            problems.add(withoutCode + " dead letter(s) without a reason code");
        }
        if (failureCodes > 0) {
            problems.add(failureCodes + " dead letter(s) with a code that means keywatch failed, not the record "
                    + HostileKind.FAILURE_CODES.stream().sorted().toList());
        }
        if (!wrongCode.isEmpty()) {
            problems.add(wrongCode.values().stream().mapToLong(Long::longValue).sum()
                    + " hostile record(s) dead-lettered with an unexpected reason code, e.g. "
                    + String.join("; ", wrongCodeSamples));
        }
        if (valid > 0) {
            problems.add(valid + " valid record(s) dead-lettered, e.g. " + String.join("; ", samples));
        }
        if (unattributed > 0) {
            problems.add(unattributed + " dead letter(s) that match no produced record");
        }
        for (HostileKind kind : HostileKind.values()) {
            long sent = produced.hostile().getOrDefault(kind, 0L);
            long dead = hostileDead.getOrDefault(kind, 0L);
            long distinct = distinctDead(kind, produced, timesBySeq);
            boolean expectDead = kind.expectation() == HostileKind.Expectation.DEAD_LETTERED;
            if (expectDead && distinct != sent) {
                problems.add(kind + ": " + (sent - distinct) + " of " + sent + " not dead-lettered");
            } else if (!expectDead && dead > 0) {
                problems.add(kind + ": " + dead + " of " + sent + " dead-lettered, expected processed");
            }
        }
        long secretKeyIds = produced.hostile().getOrDefault(HostileKind.SECRET_STRIPE, 0L)
                + produced.hostile().getOrDefault(HostileKind.SECRET_GITHUB, 0L);
        if (secretKeyIds > 0 && secretAlerts == 0) {
            problems.add(secretKeyIds + " secret-shaped key id(s) published, no SECRET_IN_TELEMETRY alert in the API");
        }
        secretsShownByPlace.forEach((place, n) -> {
            if (n > 0) {
                problems.add(n + " of " + produced.secrets().size() + " secret(s) shown in clear in " + place);
            }
        });
        for (IncidentCheck incident : incidents) {
            if (incident.alertsInApi() != 1) {
                problems.add(incident.kind() + " on " + incident.keyId() + ": " + incident.alertsInApi() + " "
                        + incident.rule() + " alert(s) in the API, expected exactly 1");
            }
        }
        List<CountCheck> counts = countChecks(produced, timesBySeq.keySet(), topologyCounts);
        for (CountCheck count : counts) {
            if (!count.ok()) {
                problems.add("incident key " + count.keyId() + ": " + count.produced() + " event(s) produced, "
                        + count.deadLettered() + " dead-lettered, but the topology counted " + count.counted());
            }
        }
        if (apiLag > 0) {
            problems.add("the API's alert consumer is " + apiLag + " alert record(s) behind the alerts topic");
        }
        if (scaleOut != null) {
            problems.addAll(scaleOut.problems());
        }
        long distinctDead = timesBySeq.size() + validOrigins.size() + unattributed;
        long processed = produced.total() - distinctDead;
        return new SoakLedger(produced.normal(), produced.incidentEvents(), new EnumMap<>(produced.hostile()),
                deadLetters.size(), byCode, hostileDead, valid, unattributed, duplicates, withoutReason, withoutCode,
                wrongCode, failureCodes, processed, incidents, counts, secretAlerts, produced.secrets().size(),
                new TreeMap<>(secretsShownByPlace), streamsOffsets, apiLag, streamsKills,
                apiKills, produced.sendErrors(), problems, scaleOut);
    }

    private static List<CountCheck> countChecks(SoakTraffic.Produced produced, Set<Long> deadSeqs,
                                                Map<String, Long> topologyCounts) {
        Map<String, Long> sent = new TreeMap<>();
        Map<String, Long> dead = new HashMap<>();
        produced.incidentKeyBySeq().forEach((seq, key) -> {
            sent.merge(key, 1L, Long::sum);
            if (deadSeqs.contains(seq)) {
                dead.merge(key, 1L, Long::sum);
            }
        });
        List<CountCheck> checks = new ArrayList<>();
        sent.forEach((key, n) -> {
            if (topologyCounts.containsKey(key)) {
                checks.add(new CountCheck(key, n, dead.getOrDefault(key, 0L), topologyCounts.get(key)));
            }
        });
        return checks;
    }

    private static long distinctDead(HostileKind kind, SoakTraffic.Produced produced, Map<Long, Integer> timesBySeq) {
        return timesBySeq.keySet().stream().filter(seq -> produced.hostileBySeq().get(seq) == kind).count();
    }

    private static Long seq(DeadLetterRecord dead) {
        return dead.headers().stream()
                .filter(h -> h.key().equals(SoakTraffic.SEQ_HEADER) && h.value() != null)
                .reduce((a, b) -> b)
                .map(h -> {
                    try {
                        return Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
                    } catch (NumberFormatException e) {
                        return null; // not ours: fall back to the origin
                    }
                })
                .orElse(null);
    }
}
