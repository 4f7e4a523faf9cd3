package io.keywatch.tools.backtest;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Keeps a command's stdout for its data: while open, console logging goes to stderr, and keywatch's own logs
 * only from WARN up (the topology logs every alert at INFO, which the backtest prints anyway). Undone on close, so
 * that the command can run in-process (tests) without changing anything for what runs after it.
 */
public final class ConsoleLogs implements AutoCloseable {

    private final Deque<Runnable> undo = new ArrayDeque<>();

    private ConsoleLogs() {
    }

    public static ConsoleLogs toStderr() {
        ConsoleLogs logs = new ConsoleLogs();
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return logs; // another SLF4J provider: leave it as it is configured
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<ILoggingEvent> console && "System.out".equals(console.getTarget())) {
                retarget(console, "System.err");
                logs.undo.push(() -> retarget(console, "System.out"));
            }
        }
        Logger keywatch = context.getLogger("io.keywatch");
        Level previous = keywatch.getLevel();
        if (!keywatch.isEnabledFor(Level.INFO) || previous == Level.WARN || previous == Level.ERROR) {
            return logs;
        }
        keywatch.setLevel(Level.WARN);
        logs.undo.push(() -> keywatch.setLevel(previous));
        return logs;
    }

    private static void retarget(ConsoleAppender<ILoggingEvent> console, String target) {
        console.stop();
        console.setTarget(target);
        console.start();
    }

    @Override
    public void close() {
        while (!undo.isEmpty()) {
            undo.pop().run();
        }
    }
}
