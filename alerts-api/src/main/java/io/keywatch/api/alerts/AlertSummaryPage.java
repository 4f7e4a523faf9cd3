package io.keywatch.api.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of the compact list, newest first; {@code nextCursor} (the same cursor as the full list's) null on the last. */
public record AlertSummaryPage(
        List<AlertSummary> items,
        @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {

    public AlertSummaryPage {
        items = List.copyOf(items);
    }
}
