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
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneLineThrowableConverterTest {

    private static final String FORGED = "2026-01-01T00:00:00.000Z ERROR io.keywatch.api.Forged - admin token rotated";

    @Test
    void anExceptionMessageWithNewlinesAndEscapesCannotForgeALineAndFramesKeepTheirOwnLines() throws Exception {
        Encoder<ILoggingEvent> encoder = productEncoder();
        IllegalStateException cause = new IllegalStateException("cause for key pk_1\r\n" + FORGED + "\u001b[2J");
        IllegalArgumentException thrown = new IllegalArgumentException(
                "bad webhook url http://x/\n" + FORGED + "\u001b]0;title\u0007", cause);
        thrown.addSuppressed(new RuntimeException("suppressed\u2028" + FORGED));
        Logger logger = new LoggerContext().getLogger("io.keywatch.api.webhooks.WebhookRelay");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "delivery failed", thrown, null);

        String out = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(out).doesNotContain("\r").doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u2028");
        List<String> lines = Arrays.asList(out.split("\n"));
        // every line is the log line itself, an exception's first line, a frame or a "... n common frames" line
        assertThat(lines.get(0)).contains("WARN").endsWith("delivery failed");
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line).matches(
                "(Caused by: |\\tSuppressed: )?java\\.lang\\.\\w+Exception: .*|\\t+at .*|\\t+\\.\\.\\. \\d+ common frames omitted"));
        assertThat(lines).noneMatch(line -> line.startsWith("2026-01-01T00:00:00.000Z"));
        assertThat(out).contains("java.lang.IllegalArgumentException: bad webhook url http://x/\\n" + FORGED
                        + "\\u001b]0;title\\u0007")
                .contains("Caused by: java.lang.IllegalStateException: cause for key pk_1\\r\\n" + FORGED + "\\u001b[2J")
                .contains("Suppressed: java.lang.RuntimeException: suppressed\\u2028" + FORGED);
        // still a useful stack trace: one frame per line, this test's own frame among them
        assertThat(lines).filteredOn(line -> line.startsWith("\tat ")).hasSizeGreaterThan(3)
                .anySatisfy(line -> assertThat(line).contains(getClass().getName()));
    }

    @Test
    void aPlainStackTraceIsPrintedAsLogbackPrintsIt() throws Exception {
        Encoder<ILoggingEvent> encoder = productEncoder();
        Logger logger = new LoggerContext().getLogger("io.keywatch.Plain");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "failed",
                new IllegalStateException("plain\ttext", new RuntimeException("root")), null);

        String out = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(out).contains("\njava.lang.IllegalStateException: plain\ttext\n\tat ")
                .contains("\nCaused by: java.lang.RuntimeException: root\n\t... ");
    }

    /** The product's own logback.xml, not a copy: what the standalone and the api service print. */
    @SuppressWarnings("unchecked")
    private Encoder<ILoggingEvent> productEncoder() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getClassLoader().getResource("logback.xml"));
        return ((OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT"))
                .getEncoder();
    }
}
