package io.keywatch.streams.detect;

import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.aggregate.KeyProfile;
import io.keywatch.streams.aggregate.MinuteAggregate;
import java.time.Instant;
import java.util.Map;

/** What an event rule may read: the event, its key's minute (the event included), registry entry and profile. */
public interface EventContext {

    UsageEvent event();

    String keyId();

    /** The start of the event's minute. */
    long minuteStart();

    default Instant minute() {
        return Instant.ofEpochMilli(minuteStart());
    }

    /** The key's minute so far, this event included, with the baseline snapshot taken when it opened. */
    MinuteAggregate usage();

    /** The key's state from the registry, or null for a key it does not know. */
    KeyState state();

    /** The key's registry entry, or null. */
    KeyMetadata metadata();

    /** The key's effective settings (its overrides over the global ones). */
    KeyThresholds thresholds();

    /** The format of the secret the key id was, when the redact step replaced it by a fingerprint; else null. */
    String secretFormat();

    /** The key's profile, read from the store on first use. */
    KeyProfile profile();

    /** Says that the rule changed the profile (it is written back with the minute). */
    void profileChanged();

    /** The event's client IP is new in the minute. */
    boolean newIp();

    /** The event's country is new in the minute. */
    boolean newCountryInMinute();

    /** The event needed a scope the key does not hold. */
    boolean scopeViolation();

    /** True for the event that opened its key's minute (the profile was advanced, and is loaded). */
    boolean minuteOpened();

    /** The last-seen minute when this minute ended a long silence of the key, else null. */
    Long dormantSince();

    /** The requests of each minute from {@code streakStart} to this one, oldest first, as far as they are kept. */
    Map<String, Long> streakMinutes(long streakStart);
}
