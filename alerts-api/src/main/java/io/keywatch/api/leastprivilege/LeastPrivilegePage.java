package io.keywatch.api.leastprivilege;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of the least-privilege report by key id; {@code nextCursor} is null on the last page. */
public record LeastPrivilegePage(List<LeastPrivilegeItem> items,
                                 @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {

    public LeastPrivilegePage {
        items = List.copyOf(items);
    }
}
