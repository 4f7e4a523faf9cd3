package io.keywatch.api.canaries;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What a canary key id looks like so that it passes for a real one: the prefix (up to and including the last
 * {@code _}, e.g. {@code pk_live_}), the length of the rest and its alphabet. Learned from the registry's real keys.
 *
 * @param prefix   kept as is in front of the random part; may be empty
 * @param length   characters of the random part
 * @param alphabet the characters the random part is drawn from
 */
public record CanaryShape(String prefix, int length, String alphabet) {

    static final String HEX = "0123456789abcdef";
    static final String LOWER_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyz";
    static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** With nothing registered: a common shape for public key ids. */
    static final CanaryShape DEFAULT = new CanaryShape("key_", 24, ALNUM);
    /** Shorter is guessable, longer is not what key ids look like. */
    static final int MIN_LENGTH = 16;
    static final int MAX_LENGTH = 64;
    /** The longest prefix taken over, learned or chosen. */
    public static final int MAX_PREFIX = 32;

    public CanaryShape {
        length = Math.max(MIN_LENGTH, Math.min(MAX_LENGTH, length));
    }

    /**
     * The most common prefix among {@code realKeyIds}, the median length of what follows it among the keys with that
     * prefix, and the smallest of hex, lower-case alphanumerics and alphanumerics that covers those rests.
     */
    public static CanaryShape learn(List<String> realKeyIds) {
        if (realKeyIds.isEmpty()) {
            return DEFAULT;
        }
        Map<String, Integer> prefixes = new HashMap<>();
        for (String keyId : realKeyIds) {
            prefixes.merge(prefixOf(keyId), 1, Integer::sum);
        }
        // ties: the longer prefix, then the first in order, so the result does not depend on hash order
        String prefix = prefixes.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(e -> e.getKey().length())
                        .thenComparing(Map.Entry.comparingByKey(Collections.reverseOrder())))
                .orElseThrow().getKey();
        List<Integer> lengths = new ArrayList<>();
        boolean hex = true;
        boolean lowerAlnum = true;
        for (String keyId : realKeyIds) {
            if (!prefixOf(keyId).equals(prefix)) {
                continue;
            }
            String rest = keyId.substring(prefix.length());
            lengths.add(rest.length());
            hex &= rest.chars().allMatch(c -> HEX.indexOf(c) >= 0);
            lowerAlnum &= rest.chars().allMatch(c -> LOWER_ALNUM.indexOf(c) >= 0);
        }
        Collections.sort(lengths);
        int median = lengths.get(lengths.size() / 2);
        return new CanaryShape(prefix, median, hex ? HEX : lowerAlnum ? LOWER_ALNUM : ALNUM);
    }

    /** A fresh id of this shape: the prefix, then {@code length} characters drawn from the alphabet. */
    public String draw(RandomGenerator random) {
        StringBuilder id = new StringBuilder(prefix.length() + length).append(prefix);
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    public CanaryShape withPrefix(String newPrefix) {
        return new CanaryShape(newPrefix, length, alphabet);
    }

    /**
     * Up to and including the last {@code _}; empty when there is none, or when it is longer than
     * {@value #MAX_PREFIX}: that is no prefix but most of an id, and with the random part it could pass the key-id
     * limit (fuzzing found it).
     */
    static String prefixOf(String keyId) {
        int end = keyId.lastIndexOf('_') + 1;
        return end > MAX_PREFIX ? "" : keyId.substring(0, end);
    }
}
