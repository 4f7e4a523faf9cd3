package io.keywatch.standalone.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OneLineMessageConverterTest {

    @Test
    void aReasonWithANewlineCannotStartAForgedLogLine() throws Exception {
        // the product's own logback.xml, not a copy: what the standalone and the api service print
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        URL config = getClass().getClassLoader().getResource("logback.xml");
        configurator.doConfigure(config);
        @SuppressWarnings("unchecked")
        Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder =
                ((OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) context.getLogger(
                        Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).getEncoder();
        Logger logger = context.getLogger("io.keywatch.api.keys.KeyRevoker");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
                "Key {} revoked: {}", null, new Object[] {"pk_1\r\n", "leaked\n2026-01-01 ERROR forged\u001b[2J"});

        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n").doesNotContain("\r")
                .doesNotContain("\u001b").contains("revoked: leaked\\n2026-01-01 ERROR forged\\u001b[2J")
                .contains("pk_1\\r\\n");
    }

    @Test
    void aBidiOverrideCannotReorderWhatAPersonReads() {
        assertThat(OneLineMessageConverter.escape("reason: ok\u202e,detrevni\u200b"))
                .isEqualTo("reason: ok\\u202e,detrevni\\u200b");
    }

    @Test
    void formatCharactersBeyondTheBmpAreEscapedToo() {
        // tag characters (U+E0001, U+E0041...) hide text from a reader; they come as surrogate pairs
        assertThat(OneLineMessageConverter.escape("key ok" + new String(Character.toChars(0xE0001))
                + new String(Character.toChars(0xE0041)) + " \uD83D\uDD11 end"))
                .isEqualTo("key ok\\U0e0001\\U0e0041 \uD83D\uDD11 end");
    }

    @Test
    void plainMessagesAreUnchanged() {
        assertThat(OneLineMessageConverter.escape("Alerts API listening on http://127.0.0.1:8080\tok"))
                .isEqualTo("Alerts API listening on http://127.0.0.1:8080\tok");
    }
}
