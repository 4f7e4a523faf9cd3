package io.keywatch.events;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A list of named keys as the operator writes it, {@code kid1:base64,kid2:base64} (standard or URL-safe base64): the
 * one format of keywatch's key settings (record signing keys, webhook-secret encryption keys). The first entry is the
 * one in use, the others are kept to read what they made, so keys rotate. A refusal says which entry and why, never
 * what a key was.
 */
public final class KeyList {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    /** One named key. */
    public record Entry(String id, byte[] bytes) {
    }

    private KeyList() {
    }

    /**
     * @throws IllegalArgumentException for an entry without {@code :}, a key id that is not 1 to 32 letters, digits,
     *                                  {@code .}, {@code _} or {@code -}, an id listed twice, or a key that is not base64
     */
    public static List<Entry> parse(String text) {
        List<Entry> keys = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] entries = text.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("entry " + (i + 1) + " has no ':' between key id and key");
            }
            String id = entry.substring(0, colon).strip();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("the key id of entry " + (i + 1)
                        + " is not 1 to 32 letters, digits, '.', '_' or '-'");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException("key id of entry " + (i + 1) + " is listed twice");
            }
            keys.add(new Entry(id, decode(entry.substring(colon + 1).strip(), i + 1)));
        }
        return keys;
    }

    private static byte[] decode(String base64, int entry) {
        try {
            return base64.indexOf('-') >= 0 || base64.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(base64) : Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            // the decoder's message may quote a character of the key: not passed on
            throw new IllegalArgumentException("the key of entry " + entry + " is not valid base64");
        }
    }
}
