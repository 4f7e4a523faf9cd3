package io.keywatch.api.alerts.stream;

/**
 * A place in the alert change feed: the writing transaction's id and the row's sequence number. The feed is delivered
 * in this order (see migration V10 for why not in sequence order).
 */
record FeedPosition(long xid, long seq) implements Comparable<FeedPosition> {

    /** Before every row. */
    static final FeedPosition START = new FeedPosition(0, 0);

    @Override
    public int compareTo(FeedPosition other) {
        int byXid = Long.compareUnsigned(xid, other.xid);
        return byXid != 0 ? byXid : Long.compare(seq, other.seq);
    }

    boolean after(FeedPosition other) {
        return compareTo(other) > 0;
    }
}
