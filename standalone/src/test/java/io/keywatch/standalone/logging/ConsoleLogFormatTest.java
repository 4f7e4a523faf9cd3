package io.keywatch.standalone.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's two formats and its quieted start-up warnings, as the product's own logback.xml sets them up. */
class ConsoleLogFormatTest {

    /** A client's text that tries to end the JSON string, add a field, start a line, hide, recolour and reorder. */
    private static final String HOSTILE = "reason \"x\", \"level\":\"ERROR\"}\n{\"level\":\"ERROR\",\"message\":\"forged\"}"
            + "\r\n2026-01-01T00:00:00.000Z ERROR io.keywatch.Forged - token rotated\u2028next\u2029para\u001b[31mred\u202eevil\\";
    private static final String ESCAPED = OneLineMessageConverter.escape(HOSTILE);

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void textIsOneEscapedLinePerEventAsBefore() {
        String out = encode(Map.of(), event(Level.WARN, "revocation refused: {}", HOSTILE, null));

        assertThat(out).endsWith("\n");
        assertThat(out.substring(0, out.length() - 1)).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u001b", "\u202e");
        assertThat(out).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN  i\\.k\\.a\\.r\\.RevocationPolicy - "
                + "revocation refused: .*\n");
        assertThat(out).contains("revocation refused: " + ESCAPED);
    }

    @Test
    void jsonIsOneObjectPerLineWhoseFieldsNoClientTextCanBreakOrForge() throws Exception {
        IllegalStateException thrown = new IllegalStateException("bad url " + HOSTILE,
                new IllegalArgumentException("cause\n" + HOSTILE));
        String out = encode(Map.of("KEYWATCH_LOG_FORMAT", "json"),
                event(Level.WARN, "revocation refused: {}", HOSTILE, thrown));

        // one line: the only line break is the last character; nothing a terminal or a JS parser breaks lines on
        assertThat(out).endsWith("\n");
        assertThat(out.substring(0, out.length() - 1)).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u001b", "\u202e");
        JsonNode line = json.readTree(out);
        List<String> fields = new ArrayList<>();
        line.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("timestamp", "level", "logger", "thread", "message", "exception");
        assertThat(line.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(line.get("level").asText()).isEqualTo("WARN");
        assertThat(line.get("logger").asText()).isEqualTo("io.keywatch.api.revocation.RevocationPolicy");
        assertThat(line.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        // the same text a person reads in the text format: escaped, whole, and only in its own field
        assertThat(line.get("message").asText()).isEqualTo("revocation refused: " + ESCAPED);
        String exception = line.get("exception").asText();
        assertThat(exception).startsWith("java.lang.IllegalStateException: bad url " + ESCAPED + "\n\tat ")
                .contains("\nCaused by: java.lang.IllegalArgumentException: cause\\n" + ESCAPED + "\n")
                .contains(getClass().getName());
        // the stack trace's own line breaks are frames, never a client's: each line is an exception or a frame
        assertThat(exception.split("\n")).allSatisfy(frame -> assertThat(frame).matches(
                "(Caused by: )?java\\.lang\\.\\w+Exception: .*|\\t+at .*|\\t+\\.\\.\\. \\d+ common frames omitted"));
    }

    @Test
    void jsonWithoutAnExceptionHasNoExceptionField() throws Exception {
        JsonNode line = json.readTree(encode(Map.of("KEYWATCH_LOG_FORMAT", "JSON"),
                event(Level.INFO, "keywatch is running", null, null)));

        assertThat(line.has("exception")).isFalse();
        assertThat(line.get("message").asText()).isEqualTo("keywatch is running");
    }

    @Test
    void anUnknownFormatIsReportedAndTheConsoleStaysText() {
        LoggerContext context = configured(Map.of("KEYWATCH_LOG_FORMAT", "xml"));

        String out = new String(encoder(context).encode(event(Level.WARN, "hello", null, null)), StandardCharsets.UTF_8);

        assertThat(out).contains(" WARN  ").endsWith("- hello\n");
        assertThat(context.getStatusManager().getCopyOfStatusList()).anySatisfy(status -> {
            assertThat(status.getLevel()).isEqualTo(Status.ERROR);
            assertThat(status.getMessage()).contains("KEYWATCH_LOG_FORMAT must be text or json, not \"xml\"");
        });
    }

    @Test
    void logFormatParsesTextAndJsonInAnyCaseAndRefusesTheRest() {
        assertThat(LogFormat.parse(null)).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.parse(" ")).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.parse("Text")).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.parse(" json ")).isEqualTo(LogFormat.JSON);
        assertThatThrownBy(() -> LogFormat.parse("yaml\u001b[2J" + "x".repeat(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\u001b").hasMessageContaining("yaml\\u001b[2J").hasMessageEndingWith("...\"");
    }

    @Test
    void expectedStartUpWarningsAreDroppedAndTheSameLoggersOtherWarningsAndErrorsShow() {
        LoggerContext context = configured(Map.of());
        String controller = "org.apache.kafka.controller.QuorumController";
        String activation = "[QuorumController id=1] Performing controller activation. The metadata log appears to be "
                + "empty. Appending 6 bootstrap record(s)";

        assertThat(decide(context, event(controller, Level.WARN, activation))).isEqualTo(FilterReply.DENY);
        assertThat(decide(context, event("org.apache.kafka.streams.StreamsConfig", Level.WARN, "Processing exception "
                + "handler is not enabled for the GlobalThread. It's recommended ..."))).isEqualTo(FilterReply.DENY);
        assertThat(decide(context, event("org.apache.kafka.server.DefaultAutoTopicCreationManager", Level.WARN,
                "Auto topic creation failed for __transaction_state with error 'TOPIC_ALREADY_EXISTS': Topic "
                        + "'__transaction_state' already exists.."))).isEqualTo(FilterReply.DENY);
        String sender = "org.apache.kafka.clients.producer.internals.Sender";
        assertThat(decide(context, event(sender, Level.WARN, "[Producer clientId=p, transactionalId=t] Got error produce "
                + "response with correlation id 22 on topic-partition keywatch.alerts-0, retrying (2147483646 attempts "
                + "left). Error: CONCURRENT_TRANSACTIONS"))).isEqualTo(FilterReply.DENY);
        assertThat(decide(context, event(sender, Level.WARN, "[Producer clientId=p, transactionalId=t] Got error produce "
                + "response with correlation id 26 on topic-partition keywatch.alerts-0, retrying (2147483646 attempts "
                + "left). Error: OUT_OF_ORDER_SEQUENCE_NUMBER"))).isEqualTo(FilterReply.NEUTRAL);
        // a real fault of the same logger, the same text at ERROR, the same text from another logger: shown
        assertThat(decide(context, event(controller, Level.WARN, "[QuorumController id=1] Renouncing the leadership "
                + "due to a metadata log event"))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(context, event(controller, Level.ERROR, activation))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(context, event("io.keywatch.Anything", Level.WARN, activation))).isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide(context, event("org.apache.kafka.server.DefaultAutoTopicCreationManager", Level.WARN,
                "Auto topic creation failed for keywatch.alerts with error 'CLUSTER_AUTHORIZATION_FAILED'")))
                .isEqualTo(FilterReply.NEUTRAL);
        // and all of them come back on demand
        LoggerContext showing = configured(Map.of("KEYWATCH_LOG_HIDE_EXPECTED", "false"));
        assertThat(decide(showing, event(controller, Level.WARN, activation))).isEqualTo(FilterReply.NEUTRAL);
    }

    private static FilterReply decide(LoggerContext context, ILoggingEvent event) {
        FilterReply reply = FilterReply.NEUTRAL;
        for (var filter : appender(context).getCopyOfAttachedFiltersList()) {
            reply = filter.decide(event);
            if (reply != FilterReply.NEUTRAL) {
                return reply;
            }
        }
        return reply;
    }

    private static String encode(Map<String, String> properties, ILoggingEvent event) {
        return new String(encoder(configured(properties)).encode(event), StandardCharsets.UTF_8);
    }

    /** The product's own logback.xml, not a copy, with the given settings (as the environment would give them). */
    private static LoggerContext configured(Map<String, String> properties) {
        LoggerContext context = new LoggerContext();
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(ConsoleLogFormatTest.class.getClassLoader().getResource("logback.xml"));
        } catch (Exception e) {
            throw new AssertionError("logback.xml does not load", e);
        }
        return context;
    }

    @SuppressWarnings("unchecked")
    private static OutputStreamAppender<ILoggingEvent> appender(LoggerContext context) {
        return (OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    }

    private static ch.qos.logback.core.encoder.Encoder<ILoggingEvent> encoder(LoggerContext context) {
        return appender(context).getEncoder();
    }

    private static LoggingEvent event(Level level, String message, Object argument, Throwable thrown) {
        Logger logger = new LoggerContext().getLogger("io.keywatch.api.revocation.RevocationPolicy");
        return new LoggingEvent(Logger.class.getName(), logger, level, message, thrown,
                argument == null ? null : new Object[] {argument});
    }

    private static LoggingEvent event(String loggerName, Level level, String message) {
        return new LoggingEvent(Logger.class.getName(), new LoggerContext().getLogger(loggerName), level, message, null,
                null);
    }
}
