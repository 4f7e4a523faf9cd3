package io.keywatch.tools.evaluate;

import io.keywatch.events.UsageEvent;
import io.keywatch.client.EventSink;
import io.keywatch.simulator.MixedDay;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;

/**
 * A mixed day's events as an iterator, generated on a background thread a batch at a time: {@link MixedDay#generate}
 * pushes events to a sink, the backtest pulls them, and a realistic day (a million events and more) need not sit in
 * memory. Close it to stop the generator early.
 */
final class DayEvents implements Iterator<UsageEvent>, AutoCloseable {

    private static final int BATCH = 4096;
    private static final List<UsageEvent> END = List.of();

    private final BlockingQueue<List<UsageEvent>> queue = new ArrayBlockingQueue<>(16);
    private final Thread generator;
    private volatile boolean closed;
    private volatile RuntimeException failure;
    private Iterator<UsageEvent> current = List.<UsageEvent>of().iterator();
    private boolean ended;

    DayEvents(MixedDay day) {
        this(day::generate);
    }

    /** The events {@code generator} pushes to the sink it is given (e.g. a simulated week's). */
    DayEvents(java.util.function.Consumer<EventSink> generator) {
        this.generator = new Thread(() -> generate(generator), "mixed-day-generator");
        this.generator.setDaemon(true);
        this.generator.start();
    }

    private void generate(java.util.function.Consumer<EventSink> source) {
        try {
            Batches batches = new Batches();
            source.accept(batches);
            put(batches.batch);
        } catch (CancellationException e) {
            return; // closed early
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            put(END);
        } catch (CancellationException e) {
            // closed early
        }
    }

    /** Hands the generated events over a batch at a time. */
    private final class Batches implements EventSink {
        private List<UsageEvent> batch = new ArrayList<>(BATCH);

        @Override
        public void accept(UsageEvent event) {
            batch.add(event);
            if (batch.size() == BATCH) {
                put(batch);
                batch = new ArrayList<>(BATCH);
            }
        }

        @Override
        public void flush() {
            // batches go over when full, and the last one when the day is done
        }
    }

    private void put(List<UsageEvent> events) {
        try {
            while (!closed) {
                if (queue.offer(events, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new CancellationException("closed");
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            if (ended) {
                return false;
            }
            List<UsageEvent> next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while generating the day's events", e);
            }
            if (next == END) {
                ended = true;
                if (failure != null) {
                    throw new IllegalStateException("cannot generate the day's events: " + failure.getMessage(), failure);
                }
                return false;
            }
            current = next.iterator();
        }
        return true;
    }

    @Override
    public UsageEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
        try {
            generator.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
