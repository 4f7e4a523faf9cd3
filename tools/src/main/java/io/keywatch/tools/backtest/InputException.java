package io.keywatch.tools.backtest;

import java.util.List;

/** An input file that cannot be used, with a message that says where and why (file:line: reason). */
public final class InputException extends RuntimeException {

    static final int MAX_LISTED = 10;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** One exception listing the first {@value #MAX_LISTED} problems and how many more there were. */
    static InputException of(String what, List<String> problems) {
        StringBuilder message = new StringBuilder(what);
        problems.stream().limit(MAX_LISTED).forEach(p -> message.append(System.lineSeparator()).append("  ").append(p));
        if (problems.size() > MAX_LISTED) {
            message.append(System.lineSeparator()).append("  ... and ").append(problems.size() - MAX_LISTED)
                    .append(" more");
        }
        return new InputException(message.toString());
    }
}
