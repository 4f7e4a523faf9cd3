package io.keywatch.events;

/**
 * Fits the fields a service copies from its caller's request — {@code userAgent}, {@code path}, {@code method},
 * {@code clientIp} — to the wire contract before the event is sent, so that an attacker who controls them cannot get
 * the whole event dead-lettered (and their own requests unseen by detection) with a 10 KB User-Agent, a control
 * character or a forged {@code X-Forwarded-For}. Free text is kept: unsafe characters become U+FFFD and it is cut to
 * its limit; a method or address that is not one is dropped (absent is allowed). Everything else is left as it is:
 * what the service itself decides must still be right.
 */
public final class CallerFields {

    private static final int REPLACEMENT = 0xFFFD;

    private CallerFields() {
    }

    /** The event with its caller-written fields within the contract; the same instance when they already are. */
    public static UsageEvent fit(UsageEvent event) {
        String userAgent = text(event.userAgent(), UsageEventLimits.MAX_USER_AGENT_CHARS);
        String path = text(event.path(), UsageEventLimits.MAX_PATH_CHARS);
        String method = method(event.method());
        String clientIp = event.clientIp() == null || IpLiteral.isValid(event.clientIp()) ? event.clientIp() : null;
        if (same(userAgent, event.userAgent()) && same(path, event.path()) && same(method, event.method())
                && same(clientIp, event.clientIp())) {
            return event;
        }
        return event.withRequest(method, path, event.status()).withClient(clientIp, event.country(), userAgent);
    }

    /** The very instance: a fitting step that changed nothing returns its input. */
    private static boolean same(String a, String b) {
        return a == b;
    }

    /** Unsafe code points replaced, then cut to {@code max} chars without splitting a surrogate pair. */
    static String text(String value, int max) {
        if (value == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            int width = Character.charCount(c);
            boolean safe = FieldCheck.isSafe(c);
            if (!safe && out == null) {
                out = new StringBuilder(Math.min(value.length(), max + 1)).append(value, 0, i);
            }
            if (out != null) {
                out.appendCodePoint(safe ? c : REPLACEMENT);
                if (out.length() > max) {
                    break;
                }
            }
            i += width;
        }
        String fitted = out == null ? value : out.toString();
        if (fitted.length() <= max) {
            return out == null ? value : fitted;
        }
        int end = max;
        if (Character.isHighSurrogate(fitted.charAt(end - 1))) {
            end--;
        }
        return fitted.substring(0, end);
    }

    private static String method(String value) {
        if (value == null) {
            return null;
        }
        try {
            return FieldCheck.method(value);
        } catch (UsageEventParser.Reject notAToken) {
            return null;
        }
    }
}
