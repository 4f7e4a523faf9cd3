package io.keywatch.api.leastprivilege;

import java.time.LocalDate;

/** One scope a key used, and the last UTC day it did. */
public record ScopeUse(String scope, LocalDate lastUsed) {
}
