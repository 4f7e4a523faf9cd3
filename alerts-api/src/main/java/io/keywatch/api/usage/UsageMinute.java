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
        alerts = Map.copyOf(alerts);
    }
}
