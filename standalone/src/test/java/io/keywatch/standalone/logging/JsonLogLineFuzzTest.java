package io.keywatch.standalone.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Any text in a log argument and in the messages of an exception and its cause, logged with
 * {@code KEYWATCH_LOG_FORMAT=json}: the product's logback.xml prints exactly one line, which parses as one JSON object
 * with exactly its six fields, the message field holding the escaped text and nothing a terminal or a JavaScript
 * parser would break a line on. README: Fuzzing.
 */
class JsonLogLineFuzzTest {

    private final Encoder<ILoggingEvent> encoder = productJsonEncoder();
    private final Logger logger = new LoggerContext().getLogger("io.keywatch.api.webhooks.WebhookRelay");
    private final ObjectMapper json = new ObjectMapper();

    @FuzzTest
    void everyLoggedTextStaysInsideItsJsonFields(FuzzedDataProvider data) throws Exception {
        String argument = data.consumeString(300);
        String causeMessage = data.consumeString(300);
        String message = data.consumeRemainingAsString();
        RuntimeException thrown = new IllegalStateException(message, new IllegalArgumentException(causeMessage));
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "delivery {} failed", thrown,
                new Object[] {argument});

        String out = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(out).endsWith("\n");
        String line = out.substring(0, out.length() - 1);
        line.chars().forEach(c -> assertThat(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f)
                && c != '\u2028' && c != '\u2029').as("U+%04X in %s", c, out).isTrue());
        JsonNode object = json.readTree(line);
        List<String> fields = new ArrayList<>();
        object.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("timestamp", "level", "logger", "thread", "message", "exception");
        assertThat(object.get("level").asText()).isEqualTo("WARN");
        assertThat(object.get("message").asText())
                .isEqualTo("delivery " + OneLineMessageConverter.escape(argument) + " failed");
        assertThat(object.get("exception").asText())
                .startsWith("java.lang.IllegalStateException: " + OneLineMessageConverter.escape(message) + "\n")
                .contains("\nCaused by: java.lang.IllegalArgumentException: "
                        + OneLineMessageConverter.escape(causeMessage) + "\n");
    }

    /** The product's own logback.xml, not a copy, as KEYWATCH_LOG_FORMAT=json sets it up. */
    @SuppressWarnings("unchecked")
    private static Encoder<ILoggingEvent> productJsonEncoder() {
        try {
            LoggerContext context = new LoggerContext();
            context.putProperty("KEYWATCH_LOG_FORMAT", "json");
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(JsonLogLineFuzzTest.class.getClassLoader().getResource("logback.xml"));
            return ((OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                    .getAppender("STDOUT")).getEncoder();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the product's logback.xml", e);
        }
    }
}
