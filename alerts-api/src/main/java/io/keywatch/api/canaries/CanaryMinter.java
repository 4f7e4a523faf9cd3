package io.keywatch.api.canaries;

import io.keywatch.api.auth.Actor;
import io.keywatch.api.keys.KeyRegistry;
import io.keywatch.api.keys.KeyStore;
import io.keywatch.api.keys.Registration;
import io.keywatch.events.KeyIds;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.secrets.SecretDetector;
import io.keywatch.events.secrets.SecretFormat;
import io.keywatch.events.secrets.SecretText;
import java.security.SecureRandom;

/**
 * Mints canary (decoy) key ids that look like the registry's real ones ({@link CanaryShape}) and registers them as
 * canaries. Only the id: the issuer mints the plausible decoy secret that goes next to it, keywatch never sees one.
 */
public final class CanaryMinter {

    /** How many real key ids the shape is learned from: the newest, so it follows a change of format. */
    static final int SAMPLE = 1_000;
    private static final int ATTEMPTS = 5;

    /** The registry's and the event path's test for a secret-shaped key id. Stateless: shared. */
    private static final SecretText SECRETS = new SecretText(new SecretDetector());

    /** Ids of the shape look like a secret: the redact step would fingerprint their events. */
    public static final class SecretShapedCanary extends RuntimeException {
        SecretShapedCanary(CanaryShape shape, SecretFormat format) {
            super("ids of this shape (" + shape.prefix().length() + " characters of prefix and " + shape.length()
                    + " random ones) look like a secret (" + format.label() + ") to keywatch, which would fingerprint "
                    + "the events of such a key, so the canary would never be seen under its id: choose a shorter "
                    + "prefix");
        }
    }

    private final KeyStore keys;
    private final KeyRegistry registry;
    private final SecureRandom random;

    public CanaryMinter(KeyStore keys, KeyRegistry registry, SecureRandom random) {
        this.keys = keys;
        this.registry = registry;
        this.random = random;
    }

    public CanaryMinter(KeyStore keys, KeyRegistry registry) {
        this(keys, registry, new SecureRandom());
    }

    /** The shape a canary minted now would get, with {@code prefix} (null: the learned one) in front. */
    public CanaryShape shape(String prefix) {
        CanaryShape learned = CanaryShape.learn(keys.realKeyIds(SAMPLE));
        return prefix == null ? learned : learned.withPrefix(prefix);
    }

    /**
     * Registers a new canary with {@code metadata} (which must say {@code canary: true}) under a fresh random id of
     * the shape. A clash with an existing key (next to impossible) draws again rather than overwrite that key.
     */
    public Registration mint(CanaryShape shape, KeyMetadata metadata, Actor by) {
        if (!metadata.canaryKey()) {
            throw new IllegalArgumentException("a canary's registry entry must say canary: true");
        }
        SecretFormat secretShaped = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String keyId = shape.draw(random);
            if (KeyIds.problem(keyId) != null || keys.find(keyId).isPresent()) {
                continue;
            }
            SecretFormat format = SECRETS.firstSecret(keyId);
            if (format != null) {
                // the event path would fingerprint such an id and the canary would never be seen under it
                secretShaped = format;
                continue;
            }
            Registration registration = registry.register(keyId, metadata, by.identity(), by);
            if (registration.created()) {
                return registration;
            }
        }
        if (secretShaped != null) {
            throw new SecretShapedCanary(shape, secretShaped);
        }
        throw new IllegalStateException("could not draw an unused canary key id in " + ATTEMPTS + " attempts");
    }
}
