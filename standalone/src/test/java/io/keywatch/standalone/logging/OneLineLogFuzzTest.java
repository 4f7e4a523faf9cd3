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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Any text in a log argument and in the messages of an exception, its cause and a suppressed one: the product's
 * log format prints one line for the message and one per exception header or frame, with no control character left
 * (so nothing an attacker wrote starts a line or drives a terminal). README: Fuzzing.
 */
class OneLineLogFuzzTest {

    /** What may follow the first line: an exception's first line, a frame, or an elision. */
    private static final Pattern STACK_LINE = Pattern.compile(
            "\\t*(Caused by: |Suppressed: |Wrapped by: )?java\\.lang\\.\\w+(: .*)?|\\t+at .*|\\t+\\.\\.\\. \\d+ (common frames omitted|more)");

    private final Encoder<ILoggingEvent> encoder = productEncoder();
    private final Logger logger = new LoggerContext().getLogger("io.keywatch.api.webhooks.WebhookRelay");

    @FuzzTest
    void everyLoggedTextStaysOnItsOwnLines(FuzzedDataProvider data) {
        String argument = data.consumeString(300);
        String causeMessage = data.consumeString(300);
        String suppressedMessage = data.consumeString(300);
        String message = data.consumeRemainingAsString();
        RuntimeException thrown = new IllegalStateException(message, new IllegalArgumentException(causeMessage));
        thrown.addSuppressed(new UnsupportedOperationException(suppressedMessage));
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "delivery {} failed", thrown,
                new Object[] {argument});

        String out = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(out).endsWith("\n");
        out.chars().forEach(c -> assertThat(c == '\n' || c == '\t' || !isControl((char) c))
                .as("control character U+%04X in %s", c, out).isTrue());
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).contains(" WARN ").contains(" - delivery ").endsWith(" failed");
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line).matches(STACK_LINE));
        assertThat(lines).filteredOn(line -> line.matches("\\t*(Caused by: |Suppressed: )?java\\.lang\\.\\w+(: .*)?"))
                .hasSize(3);
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f || c == '\u2028' || c == '\u2029';
    }

    /** The product's own logback.xml, not a copy. */
    @SuppressWarnings("unchecked")
    private static Encoder<ILoggingEvent> productEncoder() {
        try {
            LoggerContext context = new LoggerContext();
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(OneLineLogFuzzTest.class.getClassLoader().getResource("logback.xml"));
            return ((OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                    .getAppender("STDOUT")).getEncoder();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the product's logback.xml", e);
        }
    }
}
