package io.keywatch.api.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The hash of an audit entry: SHA-256 over the previous entry's hash and the entry's canonical serialization, a JSON
 * array of its fields in a fixed order. {@code before} and {@code after} enter as PostgreSQL writes the stored
 * jsonb back ({@code jsonb::text}, deterministic), so writing and verifying hash the very same text.
 */
final class ChainHash {

    /** The {@code prev_hash} of the first entry. */
    static final String GENESIS = "0".repeat(64);
    private static final String VERSION = "keywatch-audit-v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChainHash() {
    }

    static String of(String prevHash, StoredAuditEntry entry) {
        return sha256(prevHash + "\n" + canonical(entry));
    }

    static String canonical(StoredAuditEntry e) {
        try {
            return JSON.writeValueAsString(Arrays.asList(VERSION, e.id(), e.at().toString(), e.identity(), e.role(),
                    e.authMethod(), e.onBehalfOf(), e.sourceAddress(), e.requestId(), e.action(), e.targetType(),
                    e.targetId(), e.before(), e.after()));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialize audit entry " + e.id(), ex);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
