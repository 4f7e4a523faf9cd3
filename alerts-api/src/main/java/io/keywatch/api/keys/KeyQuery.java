package io.keywatch.api.keys;

import io.keywatch.events.KeyStatus;

/**
 * One page request for keys, ordered by key id; null fields do not filter.
 *
 * @param prefix   key ids starting with this
 * @param afterKey the last key id of the previous page, null for the first page
 * @param canary   true: canary (decoy) keys only; false: real keys only; null: both
 */
public record KeyQuery(String owner, String service, KeyStatus status, String prefix, int limit, String afterKey,
                       Boolean canary) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public KeyQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    public KeyQuery(String owner, String service, KeyStatus status, String prefix, int limit, String afterKey) {
        this(owner, service, status, prefix, limit, afterKey, null);
    }

    public KeyQuery withAfter(String keyId) {
        return new KeyQuery(owner, service, status, prefix, limit, keyId, canary);
    }
}
