package io.keywatch.simulator;

/**
 * One machine that legitimately calls with a key.
 *
 * @param weight share of the key's requests that come from it, relative to the key's other clients
 */
public record ClientEndpoint(String ip, String country, String userAgent, double weight) {
}
