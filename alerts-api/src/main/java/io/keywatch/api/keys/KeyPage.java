package io.keywatch.api.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of keys by key id; {@code nextCursor} is null on the last page. */
public record KeyPage(List<KeyView> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {

    public KeyPage {
        items = List.copyOf(items);
    }
}
