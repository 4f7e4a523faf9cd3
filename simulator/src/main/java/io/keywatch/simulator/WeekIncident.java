package io.keywatch.simulator;

import java.time.Instant;

/**
 * The ground truth of one scenario of a {@link MixedWeek}.
 *
 * @param start  when it starts (for a level shift: the step)
 * @param end    when its injected requests end (for a level shift: the end of the week, it stays)
 * @param events the requests it added (for a level shift: 0, the key's own traffic grows)
 * @param detail in words: what happened, e.g. the scraper's IP or the rates before and after
 */
public record WeekIncident(WeekScenario scenario, String keyId, Instant start, Instant end, long events,
                           String detail) {
}
