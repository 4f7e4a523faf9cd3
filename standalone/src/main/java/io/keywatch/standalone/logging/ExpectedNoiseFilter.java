package io.keywatch.standalone.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops the third-party WARN lines every start of the standalone prints although nothing is wrong (Kafka's first
 * controller activation, its race to create {@code __transaction_state}, ...). Each is named by its logger and a
 * phrase of its message, so the same loggers' other warnings, which may be real faults, still show; ERROR always
 * shows. Configured in logback.xml, one {@code <expected>logger | phrase</expected>} per line; off with
 * {@code <enabled>false</enabled>} ({@code KEYWATCH_LOG_HIDE_EXPECTED=false}).
 */
public final class ExpectedNoiseFilter extends Filter<ILoggingEvent> {

    private record Expected(String logger, String phrase) {
    }

    private final List<Expected> expected = new ArrayList<>();
    private boolean enabled = true;

    /** {@code logger | phrase}: the logger's full name, and text its message contains. */
    public void addExpected(String line) {
        int bar = line.indexOf('|');
        if (bar < 0 || line.substring(0, bar).isBlank() || line.substring(bar + 1).isBlank()) {
            addError("expected noise must be \"logger | phrase\", not \"" + OneLineMessageConverter.escape(line) + "\"");
            return;
        }
        expected.add(new Expected(line.substring(0, bar).strip(), line.substring(bar + 1).strip()));
    }

    public void setEnabled(String enabled) {
        this.enabled = !"false".equalsIgnoreCase(enabled == null ? "" : enabled.strip());
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (!enabled || event.getLevel().levelInt != Level.WARN_INT) {
            return FilterReply.NEUTRAL;
        }
        for (Expected noise : expected) {
            if (noise.logger().equals(event.getLoggerName())) {
                String message = event.getFormattedMessage();
                if (message != null && message.contains(noise.phrase())) {
                    return FilterReply.DENY;
                }
            }
        }
        return FilterReply.NEUTRAL;
    }
}
