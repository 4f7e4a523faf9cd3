package io.keywatch.api.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.keywatch.api.input.KeyIdCursor;
import java.util.List;

/** One page of keys by key id; {@code nextCursor} is null on the last page. */
public record KeyPage(List<KeyView> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {

    /** The cursor of the key list ({@code k1}: a cursor of another list is refused). */
    public static final KeyIdCursor CURSOR = new KeyIdCursor("k1");

    public KeyPage {
        items = List.copyOf(items);
    }
}
