package io.keywatch.api.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of alerts, newest first; {@code nextCursor} is null on the last page. */
public record AlertPage(
        List<StoredAlert> items,
        @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {

    public AlertPage {
        items = List.copyOf(items);
    }
}
