package io.keywatch.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Chooses which key an incident hits. For the demo it rotates LEAKED_KEY, BRUTE_FORCE, REVOKED_KEY_REUSE; a
 * leak or brute force picks an active key not hit before, and a reuse picks a key an earlier leak or brute force hit,
 * because keywatch will have revoked that one. Other kinds, on request: a dormant or expired key for
 * DORMANT_KEY_REACTIVATION and EXPIRED_KEY_USE (an active one when the population has none), a made-up key id for
 * UNKNOWN_KEY, a fresh active key otherwise. Plans are sized to their key ({@link IncidentPlan#forKey}).
 * Deterministic for a seed and a sequence of calls. Not thread-safe.
 */
final class IncidentPlanner {

    private static final long PLANNER_STREAM = 0x706C6EL;
    private static final IncidentKind[] ROTATION =
            {IncidentKind.LEAKED_KEY, IncidentKind.BRUTE_FORCE, IncidentKind.REVOKED_KEY_REUSE};

    private final TrafficModel model;
    private final List<KeyProfile> keys;
    private final SplittableRandom rng;
    private final List<String> hit = new ArrayList<>();
    private int nextInRotation;

    IncidentPlanner(TrafficModel model) {
        this.model = model;
        this.keys = model.activeKeys().isEmpty() ? model.keys() : model.activeKeys();
        this.rng = RandomDraws.forCoordinates(model.settings().seed(), PLANNER_STREAM);
    }

    /** The next demo incident, starting at {@code start}. */
    IncidentPlan next(Instant start) {
        IncidentKind kind = ROTATION[nextInRotation];
        nextInRotation = (nextInRotation + 1) % ROTATION.length;
        return plan(kind, start);
    }

    /** An incident of {@code kind} on a key chosen as the class comment says, sized to that key. */
    IncidentPlan plan(IncidentKind kind, Instant start) {
        Objects.requireNonNull(kind, "kind");
        String keyId = switch (kind) {
            case REVOKED_KEY_REUSE -> hit.isEmpty() ? freshKey() : hit.get(rng.nextInt(hit.size()));
            case DORMANT_KEY_REACTIVATION -> silentKey(KeyLifecycle.DORMANT);
            case EXPIRED_KEY_USE -> silentKey(KeyLifecycle.EXPIRED);
            case UNKNOWN_KEY -> unknownKeyId(rng, model);
            default -> freshKey();
        };
        if (kind == IncidentKind.LEAKED_KEY || kind == IncidentKind.BRUTE_FORCE) {
            hit.add(keyId);
        }
        return IncidentPlan.forKey(kind, model.profileOf(keyId), start);
    }

    /** Keys an earlier leak or brute force hit, oldest first. */
    List<String> hitKeys() {
        return List.copyOf(hit);
    }

    /** A key id in the population's format that is not in the population. */
    static String unknownKeyId(SplittableRandom rng, TrafficModel model) {
        String id;
        do {
            id = KeyPopulation.newKeyId(rng);
        } while (model.key(id).isPresent());
        return id;
    }

    private String silentKey(KeyLifecycle lifecycle) {
        List<KeyProfile> candidates = model.keys(lifecycle);
        return candidates.isEmpty() ? freshKey() : candidates.get(rng.nextInt(candidates.size())).keyId();
    }

    private String freshKey() {
        List<String> fresh = keys.stream().map(KeyProfile::keyId).filter(id -> !hit.contains(id)).toList();
        // once every key has been hit, start over on any key
        List<String> candidates = fresh.isEmpty() ? keys.stream().map(KeyProfile::keyId).toList() : fresh;
        return candidates.get(rng.nextInt(candidates.size()));
    }
}
