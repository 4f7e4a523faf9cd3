package io.keywatch.client;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.keywatch.events.AuthResult;
import io.keywatch.events.UsageEvent;
import java.time.Instant;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class UsageEventPublisherLogTest {

    @Test
    void aFailedPublishLogsASecretKeyIdOnlyAsItsFormat() {
        // a Stripe secret key in Stripe's documented shape, built here so that none is committed
        String secret = "sk_" + "live_" + "Qr7" + "x9Kd2LmPq4RsTv8WyZa1Bc3";
        Logger logger = (Logger) LoggerFactory.getLogger(UsageEventPublisher.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        MockProducer<String, byte[]> producer =
                new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        try (UsageEventPublisher publisher = new UsageEventPublisher(producer, "usage", null)) {
            publisher.publish(UsageEvent.of("e-1", secret, Instant.parse("2026-03-02T10:00:00Z"), "billing",
                    AuthResult.OK));
            producer.errorNext(new IllegalStateException("broker gone"));
        } finally {
            logger.detachAppender(logs);
        }

        assertThat(logs.list).anySatisfy(line -> assertThat(line.getFormattedMessage())
                .contains("cannot publish usage event").contains("redacted:stripe-secret-key"));
        assertThat(logs.list).allSatisfy(line -> assertThat(line.getFormattedMessage()).doesNotContain("Qr7x9Kd2"));
    }
}
