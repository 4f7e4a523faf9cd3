package io.keywatch.api.leastprivilege;

/**
 * One page request of the least-privilege report, ordered by key id; null filters do not filter.
 *
 * @param days     the window: the last {@code days} UTC days, today included
 * @param afterKey the last key id of the previous page, null for the first page
 */
public record LeastPrivilegeQuery(String owner, String service, int days, int limit, String afterKey) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 365;

    public LeastPrivilegeQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (days < MIN_DAYS || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be between " + MIN_DAYS + " and " + MAX_DAYS + ", got "
                    + days);
        }
    }
}
