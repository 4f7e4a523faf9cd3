package io.keywatch.events;

import java.util.Arrays;

/**
 * A lookup table from stored code to enum constant. Codes are dense small numbers, so an array indexed by code is
 * enough; built once per enum, and it refuses duplicate or negative codes at class initialisation rather than letting
 * two constants share stored bytes.
 */
public final class StoredCodes<E extends Enum<E> & StoredCode> {

    /** Codes must stay below this: {@code MinuteAggregate} keeps one bit per rule code in a long. */
    public static final int MAX_CODE = 63;

    private final E[] byCode;

    private StoredCodes(E[] byCode) {
        this.byCode = byCode;
    }

    public static <E extends Enum<E> & StoredCode> StoredCodes<E> of(E[] constants) {
        int size = Arrays.stream(constants).mapToInt(StoredCode::code).max().orElse(-1) + 1;
        E[] byCode = Arrays.copyOf(constants, size);
        Arrays.fill(byCode, null);
        for (E constant : constants) {
            int code = constant.code();
            if (code < 0 || code > MAX_CODE) {
                throw new IllegalStateException(constant + " has stored code " + code + ", outside 0.." + MAX_CODE);
            }
            if (byCode[code] != null) {
                throw new IllegalStateException(constant + " and " + byCode[code] + " share stored code " + code);
            }
            byCode[code] = constant;
        }
        return new StoredCodes<>(byCode);
    }

    /** The constant with this code, or null when no constant has it (a value written by a newer build). */
    public E fromCode(int code) {
        return code >= 0 && code < byCode.length ? byCode[code] : null;
    }

    /** One more than the highest code: the length of an array indexed by code. */
    public int size() {
        return byCode.length;
    }
}
