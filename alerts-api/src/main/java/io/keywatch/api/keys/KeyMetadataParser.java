package io.keywatch.api.keys;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.input.InputText;
import io.keywatch.api.input.JsonFields;
import io.keywatch.api.input.KeyIdInput;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.SafeText;
import io.keywatch.events.secrets.SecretDetector;
import io.keywatch.events.secrets.SecretFingerprinter;
import io.keywatch.events.secrets.SecretFormat;
import io.keywatch.events.secrets.SecretText;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates the body of {@code PUT /api/v1/keys/{keyId}}, bound to a {@link KeyRegistration}, into a
 * {@link KeyMetadata}. Strict: unknown fields are refused by the binding (a typo in {@code autoRevoke} must not leave
 * a key unprotected), and anything that looks like a secret (by its property name, or by its value through the
 * shared {@link SecretDetector}) is refused outright, before the binding, because keywatch never stores key secrets.
 */
public final class KeyMetadataParser {

    /** The fields a registration may have: {@link KeyRegistration}'s. */
    public static final Set<String> FIELDS = Arrays.stream(KeyRegistration.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toUnmodifiableSet());
    static final String SECRET_REFUSED = "keywatch never stores key secrets";
    public static final int MAX_TEXT = 200;
    static final int MAX_ITEMS = 100;
    static final String EXAMPLE = "{\"owner\":\"team-billing\",\"service\":\"billing\",\"scopes\":[\"invoices:read\"],"
            + "\"expiresAt\":\"2027-01-01T00:00:00Z\",\"autoRevoke\":true}";

    /** Property names (lower case, without separators) that carry or hint at a credential. */
    private static final List<String> SECRET_HINTS = List.of("secret", "token", "password", "passwd", "passphrase",
            "credential", "privatekey", "apikey", "keyvalue", "keymaterial", "bearer", "authorization", "hmac");
    private static final Pattern THRESHOLD_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SCOPE = Pattern.compile("[\\x21-\\x7e]{1,100}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    /** Stateless: shared. The whole value, then its tokens, as the event path tests a key id. */
    private static final SecretText SECRETS = new SecretText(new SecretDetector());

    private KeyMetadataParser() {
    }

    /** Whether a property name looks like it holds a secret ({@code secret}, {@code apiKey}, {@code token}...). */
    public static boolean looksLikeSecret(String propertyName) {
        String normalized = propertyName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return normalized.equals("key") || SECRET_HINTS.stream().anyMatch(normalized::contains);
    }

    /**
     * Refuses, anywhere in the body and before any other check reveals anything: property names that hint at a
     * secret ({@link #looksLikeSecret}), and names or string values that are one by the shared
     * {@link SecretDetector} (a Stripe or GitHub token, a private key, ...). The 400 names the field and the format,
     * never the value.
     */
    public static void refuseSecrets(JsonNode node) {
        refuseSecrets(node, "");
    }

    private static void refuseSecrets(JsonNode node, String path) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                SecretFormat secretName = SECRETS.firstSecret(name);
                if (secretName != null) {
                    // the path only, escaped and cut: the names in it are the client's
                    throw new InvalidInputException("a field name in "
                            + (path.isEmpty() ? "the body" : SafeText.quote(path)) + " is a secret ("
                            + secretName.label() + "): " + SECRET_REFUSED);
                }
                String fieldPath = path.isEmpty() ? name : path + "." + name;
                if (looksLikeSecret(name)) {
                    throw new InvalidInputException("field " + SafeText.quote(fieldPath) + " looks like a secret: "
                            + SECRET_REFUSED + "; register the key's public identifier and metadata only");
                }
                refuseSecrets(field.getValue(), fieldPath);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseSecrets(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isTextual()) {
            SecretFormat format = SECRETS.firstSecret(node.textValue());
            if (format != null) {
                throw new InvalidInputException("field " + SafeText.quote(path) + " is or holds a secret ("
                        + format.label() + "): " + SECRET_REFUSED + "; register the key's public identifier and metadata only");
            }
        }
    }

    /**
     * Refuses a key id that is a secret (a 400 naming the format, never the value) or a keywatch fingerprint of one
     * (which names no key: the fix for a leaked secret is rotating it).
     */
    public static void refuseSecretKeyId(String keyId) {
        refuseSecretAsKeyId(keyId);
        if (SecretFingerprinter.isFingerprint(keyId)) {
            throw new InvalidInputException("keyId is keywatch's fingerprint of a leaked secret, not a key: rotate the "
                    + "secret at its provider (see the SECRET_IN_TELEMETRY alert)");
        }
    }

    /** {@link KeyIdInput#refuseSecret}: a 400 when a key id is or holds a secret; the value is never echoed. */
    public static void refuseSecretAsKeyId(String keyId) {
        KeyIdInput.refuseSecret(keyId);
    }

    /** The metadata in the body; {@code autoRevoke} defaults to true. Throws a 400 naming the first bad field. */
    public static KeyMetadata parse(KeyRegistration body, String keyId) {
        String bodyKeyId = body.keyId();
        if (bodyKeyId != null && !bodyKeyId.equals(keyId)) {
            throw new InvalidInputException("keyId in the body (" + bodyKeyId.length() + " characters) differs from the "
                    + "path's (" + keyId.length() + " characters); leave it out or make them equal");
        }
        Instant createdAt = body.created();
        Instant expiresAt = body.expires();
        if (createdAt != null && expiresAt != null && !expiresAt.isAfter(createdAt)) {
            throw new InvalidInputException("expiresAt must be after createdAt, got createdAt=" + createdAt
                    + " expiresAt=" + expiresAt);
        }
        // true for a canary; null (not false) otherwise, so a real key's entry stays as it was before canaries
        Boolean canary = Boolean.TRUE.equals(body.canary()) ? Boolean.TRUE : null;
        String plantedAt = body.plantedAt();
        if (plantedAt != null && canary == null) {
            throw new InvalidInputException("plantedAt says where a canary (decoy) key was planted: "
                    + "it needs \"canary\": true");
        }
        return new KeyMetadata(
                body.owner(),
                body.service(),
                scopes(body.scopes()),
                createdAt,
                expiresAt,
                rateLimit(body.rateLimitPerMinute()),
                body.autoRevoke() == null ? Boolean.TRUE : body.autoRevoke(),
                countries(body.allowedCountries()),
                cidrs(body.allowedCidrs()),
                thresholds(body.thresholds()),
                canary,
                plantedAt);
    }

    private static List<String> scopes(List<String> items) {
        List<String> values = strings(items, "scopes");
        if (values == null) {
            return null;
        }
        for (String scope : values) {
            if (!SCOPE.matcher(scope).matches()) {
                throw new InvalidInputException("scopes: " + InputText.quote(scope)
                        + " must be 1 to 100 printable characters "
                        + "without spaces");
            }
        }
        return values;
    }

    private static Integer rateLimit(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
            throw new InvalidInputException("rateLimitPerMinute must be a positive integer, got "
                    + InputText.quote(node.toString()));
        }
        return node.intValue();
    }

    private static List<String> countries(List<String> items) {
        List<String> values = strings(items, "allowedCountries");
        if (values == null) {
            return null;
        }
        List<String> codes = new ArrayList<>();
        for (String value : values) {
            String code = value.toUpperCase(Locale.ROOT);
            if (code.length() != 2 || !COUNTRIES.contains(code)) {
                throw new InvalidInputException("allowedCountries: " + InputText.quote(value)
                        + " is not an ISO 3166-1 alpha-2 country code such as DE or US");
            }
            codes.add(code);
        }
        return List.copyOf(new LinkedHashSet<>(codes));
    }

    private static List<String> cidrs(List<String> items) {
        List<String> values = strings(items, "allowedCidrs");
        if (values == null) {
            return null;
        }
        return values.stream().map(KeyMetadataParser::cidr).distinct().toList();
    }

    /** Validates one IPv4 or IPv6 CIDR and returns it in canonical form (IPv6 compressed, lower case). */
    static String cidr(String value) {
        int slash = value.indexOf('/');
        if (slash < 0) {
            throw badCidr(value, "add the prefix length, e.g. " + value + (value.contains(":") ? "/128" : "/32"));
        }
        String address = value.substring(0, slash);
        String prefixText = value.substring(slash + 1);
        byte[] bytes = address.contains(":") ? ipv6(address, value) : ipv4(address, value);
        int bits = bytes.length * 8;
        int prefix;
        try {
            prefix = Integer.parseInt(prefixText);
        } catch (NumberFormatException e) {
            throw badCidr(value, "the prefix length must be a number from 0 to " + bits);
        }
        if (prefix < 0 || prefix > bits || !prefixText.equals(Integer.toString(prefix))) {
            throw badCidr(value, "the prefix length must be a number from 0 to " + bits);
        }
        byte[] network = bytes.clone();
        for (int bit = prefix; bit < bits; bit++) {
            network[bit / 8] &= (byte) ~(1 << (7 - bit % 8));
        }
        String canonicalNetwork = format(network);
        if (!Arrays.equals(network, bytes)) {
            throw badCidr(value, "host bits are set; did you mean " + canonicalNetwork + "/" + prefix + "?");
        }
        return canonicalNetwork + "/" + prefix;
    }

    private static byte[] ipv4(String address, String value) {
        var matcher = IPV4.matcher(address);
        if (!matcher.matches()) {
            throw badCidr(value, "not an IPv4 or IPv6 address");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String octet = matcher.group(i + 1);
            int number = Integer.parseInt(octet);
            if (number > 255 || (octet.length() > 1 && octet.startsWith("0"))) {
                throw badCidr(value, "'" + octet + "' is not an IPv4 octet (0-255, no leading zeros)");
            }
            bytes[i] = (byte) number;
        }
        return bytes;
    }

    private static byte[] ipv6(String address, String value) {
        // only hex digits, colons and dots: InetAddress then parses a literal and never resolves a name
        if (!IPV6_CHARS.matcher(address).matches()) {
            throw badCidr(value, "not an IPv6 address");
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                throw badCidr(value, "write IPv4-mapped addresses as IPv4");
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw badCidr(value, "not an IPv6 address");
        }
    }

    private static String format(byte[] bytes) {
        try {
            String text = InetAddress.getByAddress(bytes).getHostAddress();
            return bytes.length == 4 ? text : compressIpv6(text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Java prints 2001:db8:0:0:0:0:0:0; RFC 5952 wants 2001:db8::. */
    private static String compressIpv6(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLength && j - i > 1) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    private static InvalidInputException badCidr(String value, String why) {
        return new InvalidInputException("allowedCidrs: " + InputText.quote(value) + " is not a valid IPv4 or IPv6 CIDR: "
                + why);
    }

    private static Map<String, Double> thresholds(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidInputException("thresholds must be an object of setting name to number, "
                    + "e.g. {\"volume.floor\": 500}");
        }
        if (node.size() > MAX_ITEMS) {
            throw new InvalidInputException("thresholds must have at most " + MAX_ITEMS + " entries");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!THRESHOLD_NAME.matcher(field.getKey()).matches()) {
                throw new InvalidInputException("thresholds: name " + InputText.quote(field.getKey())
                        + " must be 1 to 64 letters, digits, dots, dashes or underscores");
            }
            JsonNode value = field.getValue();
            if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
                throw new InvalidInputException("thresholds: '" + field.getKey() + "' must be a number, got "
                        + JsonFields.typeOf(value));
            }
            values.put(field.getKey(), value.doubleValue());
        }
        return values;
    }

    /** An optional array of non-blank strings, stripped and without duplicates. */
    private static List<String> strings(List<String> items, String field) {
        if (items == null) {
            return null;
        }
        if (items.size() > MAX_ITEMS) {
            throw new InvalidInputException(field + " must have at most " + MAX_ITEMS + " entries, got " + items.size());
        }
        Set<String> values = new LinkedHashSet<>();
        for (String item : items) {
            if (item == null || item.isBlank()) {
                throw new InvalidInputException(field + " must contain non-blank strings only, got "
                        + (item == null ? "null" : "a blank string"));
            }
            values.add(JsonFields.checkedText(field, item, MAX_TEXT));
        }
        return List.copyOf(values);
    }
}
