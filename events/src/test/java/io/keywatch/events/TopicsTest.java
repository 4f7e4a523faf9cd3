package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void readsTheTopicNamesAndKeepsTheDefaultsForUnsetOrBlankOnes() {
        Topics topics = Topics.fromEnv(Map.of("KEYWATCH_TOPIC_ALERTS", " team.alerts ", "KEYWATCH_TOPIC_KEY_STATE", ""));

        assertThat(topics.alerts()).isEqualTo("team.alerts");
        assertThat(topics.keyState()).isEqualTo(Topics.DEFAULTS.keyState());
        assertThat(topics.usageEvents()).isEqualTo(Topics.DEFAULTS.usageEvents());
        assertThat(topics.usageEventsDlq()).isEqualTo(Topics.DEFAULTS.usageEventsDlq());
    }

    @Test
    void theAlertsDeadLetterTopicFollowsTheAlertsTopicUnlessSetItself() {
        assertThat(Topics.DEFAULTS.alertsDlq()).isEqualTo("keywatch.alerts.dlq");
        assertThat(Topics.fromEnv(Map.of()).alertsDlq()).isEqualTo("keywatch.alerts.dlq");
        assertThat(Topics.fromEnv(Map.of("KEYWATCH_TOPIC_ALERTS", "team.alerts")).alertsDlq())
                .isEqualTo("team.alerts.dlq");
        assertThat(Topics.fromEnv(Map.of("KEYWATCH_TOPIC_ALERTS_DLQ", "quarantine")).alertsDlq())
                .isEqualTo("quarantine");
    }
}
