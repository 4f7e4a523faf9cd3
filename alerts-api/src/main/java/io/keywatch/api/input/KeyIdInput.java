package io.keywatch.api.input;

import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.events.KeyIds;
import io.keywatch.events.secrets.SecretDetector;
import io.keywatch.events.secrets.SecretFormat;
import io.keywatch.events.secrets.SecretText;

/**
 * A key id a client sent (query, path or body), checked by keywatch's one rule {@link KeyIds}, and refused when it
 * is a secret rather than a key's public identifier. Shared by every feature that takes a key id (keys, silences),
 * so it lives apart from all of them; no HTTP here.
 */
public final class KeyIdInput {

    /** The longest id (key, alert, silence...) a request may name. */
    public static final int MAX_ID_LENGTH = 256;
    /** Stateless: shared. The whole value, then its tokens, as the event path tests a key id. */
    private static final SecretText SECRETS = new SecretText(new SecretDetector());

    private KeyIdInput() {
    }

    /** Null stays null; a bad key id is a 400 naming the problem (length, or index and code point), never the value. */
    public static String check(String name, String value) {
        if (value == null) {
            return null;
        }
        String problem = KeyIds.problem(value);
        if (problem != null) {
            throw new InvalidInputException(name + " " + problem);
        }
        return value;
    }

    /**
     * A 400 when a key id is or holds a secret, by the same test as the event path's (a key id holding a secret token
     * there is fingerprinted), so that keywatch neither stores the secret nor keeps a key whose events all arrive
     * under a fingerprint. The value is never echoed.
     */
    public static void refuseSecret(String keyId) {
        SecretFormat format = SECRETS.firstSecret(keyId);
        if (format != null) {
            throw new InvalidInputException("keyId is or holds a secret (" + format.label() + "), not a key's public "
                    + "identifier: keywatch never stores key secrets; rotate this secret, it has left its owner");
        }
    }
}
