package io.keywatch.client.keystatus;

import io.keywatch.events.KeyState;

/**
 * Told about every change the {@link KeyStatusCache} applies, on the cache's own thread, in topic order per key.
 * Keep it quick; an exception is logged and does not stop the cache.
 */
@FunctionalInterface
public interface KeyStatusListener {

    /**
     * @param keyId    the key
     * @param previous its state before, or null when the cache had none
     * @param current  its state now, or null when a tombstone removed it
     */
    void onChange(String keyId, KeyState previous, KeyState current);
}
