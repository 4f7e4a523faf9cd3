package io.keywatch.streams.detect;

import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.streams.aggregate.KeyProfile;

/** What a hygiene rule may read: one registered, active, unexpired key, at the scan's stream time. */
public interface ScanContext {

    String keyId();

    KeyMetadata metadata();

    /** The scan's stream time. */
    long now();

    /** When this task started observing: silences count from here. */
    long observingSince();

    KeyThresholds thresholds();

    /** The key's profile, or null when it has none; read at most once per key and scan. */
    KeyProfile existingProfile();

    /** Which scopes the key used and when last, or null when it used none; read at most once per key and scan. */
    KeyScopeUsage scopeUsage();
}
