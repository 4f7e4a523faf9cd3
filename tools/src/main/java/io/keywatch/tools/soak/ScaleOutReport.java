package io.keywatch.tools.soak;

import io.keywatch.events.SafeText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The scale-out checks of a soak: partitions moved on every kill, no key revoked twice (in PostgreSQL's audit log and
 * on the key-state topic), one {@code key.revoked} webhook id per revocation, and both groups' lag at the end.
 *
 * @param streamsInstances       streams child JVMs (same application id)
 * @param apiInstances           api child JVMs (same alert consumer group)
 * @param restart                whether killed streams instances were started again
 * @param partitionMoves         one per kill
 * @param revocationsByKey       per revoked key, its revocations in the audit log (REVOKED, APPROVED, MANUAL_REVOKE)
 * @param keyStateRevocations    per key, how often the key-state topic turns it REVOKED (from another state)
 * @param keysRevokedTwice       keys with more than one revocation in either place
 * @param webhookDeliveries      every delivery the receiver got
 * @param keyRevokedDeliveries   deliveries of {@code key.revoked}
 * @param keyRevokedIds          distinct {@code webhook-id}s of those
 * @param duplicateDeliveries    deliveries of an id already received (a retry after a lost answer: allowed)
 * @param badSignatures          deliveries whose signature did not verify
 * @param keysWithoutWebhook     revoked keys no {@code key.revoked} delivery named
 * @param keysWithExtraWebhookIds revoked keys announced under more distinct ids than they were revoked
 * @param streamsLag             the streams group's lag on the usage-events topic at the end
 * @param apiLagByPartition      the API group's lag on the alerts topic per partition at the end (log end minus
 *                               committed; 0 when caught up)
 * @param problems               what is off
 */
public record ScaleOutReport(int streamsInstances, int apiInstances, boolean restart,
                             List<PartitionMove> partitionMoves, Map<String, Long> revocationsByKey,
                             Map<String, Long> keyStateRevocations, List<String> keysRevokedTwice,
                             long webhookDeliveries, long keyRevokedDeliveries, long keyRevokedIds,
                             long duplicateDeliveries, long badSignatures, List<String> keysWithoutWebhook,
                             List<String> keysWithExtraWebhookIds, long streamsLag,
                             Map<Integer, Long> apiLagByPartition, List<String> problems) {

    static final String KEY_REVOKED = "key.revoked";
    /** Audit actions after which a key is revoked. */
    static final Set<String> REVOKING_ACTIONS = Set.of("REVOKED", "APPROVED", "MANUAL_REVOKE");

    /** A key-state record as read from the topic: key id and status, in the topic's order for that key. */
    record KeyStateEntry(String keyId, String status) {
    }

    static ScaleOutReport of(ScaleOutSettings settings, List<PartitionMove> moves, List<String> revokedKeyIdsInAudit,
                             List<KeyStateEntry> keyStates, List<WebhookReceiver.Delivery> deliveries,
                             Map<Integer, long[]> streamsOffsets, Map<Integer, long[]> apiOffsets) {
        List<String> problems = new ArrayList<>();
        moves.forEach(move -> problems.addAll(move.problems()));

        Map<String, Long> revocations = new TreeMap<>();
        revokedKeyIdsInAudit.forEach(key -> revocations.merge(key, 1L, Long::sum));
        Map<String, Long> transitions = new TreeMap<>();
        Map<String, String> lastStatus = new HashMap<>();
        for (KeyStateEntry entry : keyStates) {
            String previous = lastStatus.put(entry.keyId(), entry.status());
            if ("REVOKED".equals(entry.status()) && !"REVOKED".equals(previous)) {
                transitions.merge(entry.keyId(), 1L, Long::sum);
            }
        }
        Set<String> twice = new TreeSet<>();
        revocations.forEach((key, n) -> {
            if (n > 1) {
                twice.add(key);
            }
        });
        transitions.forEach((key, n) -> {
            if (n > 1) {
                twice.add(key);
            }
        });
        if (!twice.isEmpty()) {
            problems.add(twice.size() + " key(s) revoked more than once: " + sample(twice));
        }
        Set<String> notPublished = new TreeSet<>(revocations.keySet());
        notPublished.removeAll(transitions.keySet());
        if (!notPublished.isEmpty()) {
            problems.add(notPublished.size() + " key(s) revoked in PostgreSQL but never REVOKED on the key-state topic: "
                    + sample(notPublished));
        }

        Map<String, Set<String>> idsByKey = new HashMap<>();
        Set<String> seen = new HashSet<>();
        long keyRevoked = 0;
        long duplicates = 0;
        long badSignatures = 0;
        for (WebhookReceiver.Delivery delivery : deliveries) {
            if (!delivery.signatureValid()) {
                badSignatures++;
            }
            if (!KEY_REVOKED.equals(delivery.type())) {
                continue;
            }
            keyRevoked++;
            if (!seen.add(delivery.webhookId())) {
                duplicates++;
            }
            idsByKey.computeIfAbsent(delivery.keyId(), k -> new HashSet<>()).add(delivery.webhookId());
        }
        List<String> without = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        revocations.forEach((key, n) -> {
            int ids = idsByKey.getOrDefault(key, Set.of()).size();
            if (ids == 0) {
                without.add(key);
            } else if (ids > n) {
                extra.add(key + " (" + ids + " ids, " + n + " revocation(s))");
            }
        });
        idsByKey.forEach((key, ids) -> {
            if (!revocations.containsKey(key)) {
                extra.add(key + " (" + ids.size() + " ids, not revoked in the audit log)");
            }
        });
        if (!without.isEmpty()) {
            problems.add(without.size() + " revoked key(s) without a key.revoked webhook: " + sample(without));
        }
        if (!extra.isEmpty()) {
            problems.add(extra.size() + " key(s) announced under more webhook ids than revocations: " + sample(extra));
        }
        if (badSignatures > 0) {
            problems.add(badSignatures + " webhook delivery(ies) whose signature did not verify");
        }
        long distinctIds = idsByKey.values().stream().mapToLong(Set::size).sum();
        long revocationCount = revocations.values().stream().mapToLong(Long::longValue).sum();
        if (distinctIds != revocationCount && without.isEmpty() && extra.isEmpty()) {
            problems.add(distinctIds + " distinct key.revoked webhook id(s) for " + revocationCount + " revocation(s)");
        }

        long streamsLag = streamsOffsets.values().stream().mapToLong(o -> Math.max(0, o[1] - o[0])).sum();
        Map<Integer, Long> apiLag = new TreeMap<>();
        apiOffsets.forEach((p, o) -> apiLag.put(p, Math.max(0, o[1] - o[0])));
        // the streams group's lag and the API's are ledger problems already (committed offsets not at the log end):
        // not counted twice here
        return new ScaleOutReport(settings.streams(), settings.apis(), settings.restart(), List.copyOf(moves),
                revocations, transitions, List.copyOf(twice), deliveries.size(), keyRevoked, seen.size(), duplicates,
                badSignatures, without, extra, streamsLag, apiLag, problems);
    }

    private static String sample(Collection<String> items) {
        // key ids come from the API and the webhook bodies: shown escaped and cut
        List<String> first = items.stream().limit(5).map(item -> SafeText.escape(item, 120)).toList();
        return String.join(", ", first) + (items.size() > 5 ? ", ..." : "");
    }
}
