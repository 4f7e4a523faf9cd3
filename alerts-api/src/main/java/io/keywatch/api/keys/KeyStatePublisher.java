package io.keywatch.api.keys;

import io.keywatch.events.KeyState;

/** Announces a key's new state to the rest of keywatch (the streams topology flags later use of a revoked key). */
public interface KeyStatePublisher {

    /** Returns once the state is durably published; throws {@link KeyStatePublishException} otherwise. */
    void publish(KeyState state);
}
