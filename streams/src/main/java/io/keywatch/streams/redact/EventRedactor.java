package io.keywatch.streams.redact;

import io.keywatch.events.UsageEvent;
import io.keywatch.events.secrets.FingerprintKey;
import io.keywatch.events.secrets.SecretDetector;
import io.keywatch.events.secrets.SecretFingerprinter;
import io.keywatch.events.secrets.SecretFormat;
import io.keywatch.events.secrets.SecretText;
import io.keywatch.events.secrets.TokenRedactor;

/**
 * Takes the secrets out of a usage event, before anything stores, logs or keys by it:
 * <ul>
 *   <li>{@code keyId}: when it is a secret, or holds one as a token ({@code token:ghp_...}, {@code key=sk_live_...},
 *   see {@link SecretText}), the whole key id becomes its keyed fingerprint, {@code redacted:<format>:<hmac>}, so the
 *   same secret still groups as one key;</li>
 *   <li>{@code path}: each segment before the {@code ?}, each name and value of the query string after it (as sent:
 *   not percent-decoded);</li>
 *   <li>{@code userAgent}: each token between spaces and {@code ;()[],"'=<>{}};</li>
 *   <li>{@code service} and {@code scope}: free text too (a service name built from a config value, a scope list),
 *   shown in alerts and logs; scanned as a whole and token by token like a key id ({@link SecretText});</li>
 * </ul>
 * a secret in {@code path}, {@code userAgent}, {@code service} or {@code scope} becomes {@code redacted:<format>} in
 * place. The other fields are ids, codes and numbers that the event parser bounds; they are not scanned.
 *
 * <p>Not thread-safe (the fingerprinter keeps a {@code Mac}): one per processor.
 */
public final class EventRedactor {

    private final SecretDetector detector = new SecretDetector();
    private final SecretFingerprinter fingerprinter;
    private final SecretText keyIds = new SecretText(detector);
    private final TokenRedactor paths = TokenRedactor.forPath(detector);
    private final TokenRedactor userAgents = TokenRedactor.forUserAgent(detector);

    public EventRedactor(FingerprintKey key) {
        this.fingerprinter = new SecretFingerprinter(key);
    }

    /** What redaction did to one event. */
    public record Redacted(UsageEvent event, SecretFormat keyIdFormat) {

        /** Whether the key id was a secret (and is now a fingerprint). */
        public boolean keyIdRedacted() {
            return keyIdFormat != null;
        }
    }

    /**
     * The event without secrets, and the format of its key id when that was one. The same event instance when it
     * held no secret.
     */
    public Redacted redact(UsageEvent event) {
        String keyId = event.keyId();
        SecretFormat keyIdFormat = keyIds.firstSecret(keyId);
        String path = paths.redact(event.path());
        String userAgent = userAgents.redact(event.userAgent());
        String service = keyIds.redact(event.service());
        String scope = keyIds.redact(event.scope());
        if (keyIdFormat == null && path == event.path() && userAgent == event.userAgent()
                && service == event.service() && scope == event.scope()) {
            return new Redacted(event, null);
        }
        String redactedKeyId = keyIdFormat == null ? keyId : fingerprinter.fingerprint(keyIdFormat, keyId);
        UsageEvent redacted = new UsageEvent(event.eventId(), redactedKeyId, event.timestamp(), service,
                event.method(), path, event.status(), event.authResult(), event.clientIp(), userAgent,
                event.country(), event.latencyMs(), scope, event.tls(), event.credentialLocation());
        return new Redacted(redacted, keyIdFormat);
    }
}
