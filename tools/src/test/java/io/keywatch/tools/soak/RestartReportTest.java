package io.keywatch.tools.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestartReportTest {

    @Test
    void mediansPerWayOfStoppingCountingARestartThatNeverDetectedAsTheLongest() {
        List<RestartProbe.Figure> figures = List.of(
                new RestartProbe.Figure(1, "SIGKILL", 5, 6),
                new RestartProbe.Figure(2, "SIGTERM", 4, 5),
                new RestartProbe.Figure(3, "SIGKILL", Double.NaN, Double.NaN),
                new RestartProbe.Figure(4, "SIGKILL", 7, 9),
                new RestartProbe.Figure(5, "SIGTERM", 2, 3));

        Map<String, Map<String, Double>> medians = RestartReport.medians(figures);

        assertThat(medians.get("SIGKILL")).containsEntry("secondsToRunning", 7.0).containsEntry("secondsToDetecting", 9.0);
        assertThat(medians.get("SIGTERM")).containsEntry("secondsToRunning", 3.0).containsEntry("secondsToDetecting", 4.0);
        assertThat(RestartReport.median(figures.subList(2, 3), RestartProbe.Figure::secondsToDetecting)).isNaN();
        StringWriter text = new StringWriter();
        RestartReport.print(figures, new PrintWriter(text));
        assertThat(text.toString()).contains("median after SIGKILL: RUNNING in 7.00 s, detecting again in 9.00 s");
    }

    @Test
    void theReportShowsNoValueOfASettingThatMayBeASecret() {
        Map<String, String> shown = RestartsCommand.shown(Map.of(
                "KEYWATCH_SECRET_FINGERPRINT_KEY", "c2VjcmV0", "KEYWATCH_STREAMS_CONFIG_SASL_JAAS_CONFIG", "pw",
                "KEYWATCH_STREAMS_LEAVE_GROUP_ON_CLOSE", "false"));

        assertThat(shown).containsEntry("KEYWATCH_STREAMS_LEAVE_GROUP_ON_CLOSE", "false")
                .containsEntry("KEYWATCH_SECRET_FINGERPRINT_KEY", "(not shown)")
                .containsEntry("KEYWATCH_STREAMS_CONFIG_SASL_JAAS_CONFIG", "(not shown)");
    }
}
