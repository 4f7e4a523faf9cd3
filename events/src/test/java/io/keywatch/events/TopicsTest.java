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

    @Test
    void theKeyScopesTopicIsNamedTheSameWayByEveryConstructor() {
        assertThat(Topics.DEFAULTS.keyScopes()).isEqualTo("keywatch.key-scopes");
        assertThat(Topics.fromEnv(Map.of()).keyScopes()).isEqualTo("keywatch.key-scopes");
        assertThat(Topics.fromEnv(Map.of("KEYWATCH_TOPIC_KEY_SCOPES", "team.scopes")).keyScopes())
                .isEqualTo("team.scopes");
        assertThat(new Topics("keywatch.usage-events", "keywatch.usage-events.dlq", "keywatch.alerts",
                "keywatch.key-state").keyScopes()).isEqualTo(Topics.DEFAULTS.keyScopes());
        assertThat(new Topics("t1.u", "t1.d", "t1.a", "t1.key-state").keyScopes()).isEqualTo("t1.key-scopes");
        assertThat(new Topics("t2.u", "t2.d", "t2.a", "t2.states").keyScopes()).isEqualTo("t2.states.scopes");
    }
}
