package io.keywatch.ingest.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Chooses which key an incident hits. For the demo it rotates LEAKED_KEY, BRUTE_FORCE, REVOKED_KEY_REUSE; a
 * leak or brute force picks a key not hit before, and a reuse picks a key an earlier leak or brute force hit,
 * because keywatch will have revoked that one. A leak on a busy key gets more than the default 1,500 requests, so
 * that it stands out against the key's own peak traffic. Deterministic for a seed and a sequence of calls. Not thread-safe.
 */
final class IncidentPlanner {

    private static final long PLANNER_STREAM = 0x706C6EL;
    private static final IncidentKind[] ROTATION =
            {IncidentKind.LEAKED_KEY, IncidentKind.BRUTE_FORCE, IncidentKind.REVOKED_KEY_REUSE};

    private final List<KeyProfile> keys;
    private final SplittableRandom rng;
    private final List<String> hit = new ArrayList<>();
    private int nextInRotation;

    IncidentPlanner(TrafficModel model) {
        this.keys = model.keys();
        this.rng = RandomDraws.forCoordinates(model.settings().seed(), PLANNER_STREAM);
    }

    /** The next demo incident, starting at {@code start}. */
    IncidentPlan next(Instant start) {
        IncidentKind kind = ROTATION[nextInRotation];
        nextInRotation = (nextInRotation + 1) % ROTATION.length;
        return plan(kind, start);
    }

    /** A default incident of {@code kind} on a key chosen as the class comment says. */
    IncidentPlan plan(IncidentKind kind, Instant start) {
        Objects.requireNonNull(kind, "kind");
        String keyId = kind == IncidentKind.REVOKED_KEY_REUSE && !hit.isEmpty()
                ? hit.get(rng.nextInt(hit.size()))
                : freshKey();
        if (kind != IncidentKind.REVOKED_KEY_REUSE) {
            hit.add(keyId);
        }
        IncidentPlan plan = IncidentPlan.of(kind, keyId, start);
        if (kind == IncidentKind.LEAKED_KEY) {
            // a leak must stand out against the key's own peak: keywatch wants several times its baseline in a
            // minute, and a 40 s leak may straddle two minutes, so busy keys get more than the default 1,500
            KeyProfile key = byId(keyId);
            double peakPerMinute = key.meanRatePerMinute() * (1 + key.rhythm().amplitude());
            int count = (int) Math.min(IncidentPlan.MAX_COUNT, Math.max(plan.count(), Math.ceil(12 * peakPerMinute)));
            plan = plan.withCount(count, plan.duration());
        }
        return plan;
    }

    private KeyProfile byId(String keyId) {
        return keys.stream().filter(k -> k.keyId().equals(keyId)).findFirst().orElseThrow();
    }

    /** Keys an earlier leak or brute force hit, oldest first. */
    List<String> hitKeys() {
        return List.copyOf(hit);
    }

    private String freshKey() {
        List<String> fresh = keys.stream().map(KeyProfile::keyId).filter(id -> !hit.contains(id)).toList();
        // once every key has been hit, start over on any key
        List<String> candidates = fresh.isEmpty() ? keys.stream().map(KeyProfile::keyId).toList() : fresh;
        return candidates.get(rng.nextInt(candidates.size()));
    }
}
