package io.keywatch.events;

import java.util.Arrays;
import java.util.Locale;

/** Reads an enum constant from what a person typed: case and surrounding blanks do not matter. */
public final class EnumNames {

    private EnumNames() {
    }

    /**
     * The constant named {@code text}; otherwise an {@link IllegalArgumentException} that says what was given and
     * lists the valid names, e.g. "unknown status 'x', expected one of [OPEN, ACKNOWLEDGED, RESOLVED]".
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String what, String text) {
        if (text != null) {
            String name = text.strip().toUpperCase(Locale.ROOT);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(name)) {
                    return constant;
                }
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + text + "', expected one of "
                + Arrays.toString(type.getEnumConstants()));
    }
}
