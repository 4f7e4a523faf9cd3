package io.keywatch.api.keys;

/**
 * The outcome of registering a key.
 *
 * @param created true when the key had no registry entry before (201), false when it was updated (200)
 */
public record Registration(KeyRecord key, boolean created) {
}
