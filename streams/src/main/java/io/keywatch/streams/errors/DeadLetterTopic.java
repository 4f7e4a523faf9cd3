package io.keywatch.streams.errors;

import io.keywatch.events.SafeText;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/** What the dead-lettering handlers share: where the records go, and how an exception reads in a reason. */
final class DeadLetterTopic {

    private DeadLetterTopic() {
    }

    /** The topic of KIP-1034's {@code errors.dead.letter.queue.topic.name}, which keywatch sets to its usage DLQ. */
    static String from(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must name the "
                    + "dead-letter topic for keywatch's exception handlers");
        }
        return topic.toString();
    }

    /** The exception's class and message (escaped, cut: it may quote the record), and its first cause's. */
    static String describe(Throwable exception) {
        String text = exception.getClass().getName() + ": " + exception.getMessage();
        Throwable cause = exception.getCause();
        if (cause != null && cause != exception) {
            text += " (caused by " + cause.getClass().getName() + ": " + cause.getMessage() + ")";
        }
        return SafeText.escape(text, 300);
    }

    /** Where the exception was thrown (the top frame), for the log: no message, so nothing from the record. */
    static String where(Throwable exception) {
        StackTraceElement[] trace = exception.getStackTrace();
        return trace.length == 0 ? "" : "at " + trace[0];
    }
}
