package io.keywatch.streams.redact;

/**
 * Undoes the JSON escapes that can spell a secret's characters ({@code \\u0073k_live_...}, {@code https:\/\/hooks...})
 * so that a scan sees it as it would be read. One pass; other escapes and malformed ones are left as they are.
 */
final class JsonEscapes {

    private JsonEscapes() {
    }

    static String undo(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < length) {
                char next = text.charAt(i + 1);
                if (next == '/') {
                    out.append('/');
                    i++;
                    continue;
                }
                if (next == 'u' && i + 6 <= length) {
                    int code = hex(text, i + 2, i + 6);
                    if (code >= 0) {
                        out.append((char) code);
                        i += 5;
                        continue;
                    }
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static int hex(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
