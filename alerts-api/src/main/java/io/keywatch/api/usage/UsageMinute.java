package io.keywatch.api.usage;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.Map;

/**
 * One key's usage in one minute, as detection counted it.
 *
 * @param start        the minute's start
 * @param distinctIps  distinct client addresses (exact up to the topology's cap, a lower bound beyond)
 * @param alerts       the highest severity each rule raised in this minute
 */
public record UsageMinute(Instant start, long requests, long authFailures, long errors, int distinctIps,
                          Map<AlertRule, Severity> alerts) {

    public UsageMinute {
        // also what a malformed answer of the topology's query server fails on: a refused answer, never a 500
        if (start == null || alerts == null || requests < 0 || authFailures < 0 || errors < 0 || distinctIps < 0) {
            throw new IllegalArgumentException("a usage minute needs a start, alerts and counts that are not negative");
        }
        alerts = Map.copyOf(alerts);
    }
}
