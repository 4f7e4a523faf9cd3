package io.keywatch.standalone.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * {@code %ex} with every exception message escaped like {@link OneLineMessageConverter} does for {@code %msg}: an
 * exception's message (or its cause's, or a suppressed one's) may quote a key id, a URL or a header an attacker
 * chose, and a CR/LF in it would otherwise start a forged log line. The frames keep a line each, so the stack trace
 * stays readable. Registered in logback.xml as {@code %safeEx}.
 */
public final class OneLineThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return super.throwableProxyToString(proxy == null ? null : new Escaped(proxy));
    }

    /** The same throwable, its messages escaped, all the way down its causes and suppressed exceptions. */
    private record Escaped(IThrowableProxy proxy) implements IThrowableProxy {

        @Override
        public String getMessage() {
            return OneLineMessageConverter.escape(proxy.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return OneLineMessageConverter.escape(proxy.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return OneLineMessageConverter.escape(proxy.getClassName());
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return proxy.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return proxy.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            IThrowableProxy cause = proxy.getCause();
            return cause == null ? null : new Escaped(cause);
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = proxy.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                escaped[i] = new Escaped(suppressed[i]);
            }
            return escaped;
        }

        @Override
        public boolean isCyclic() {
            return proxy.isCyclic();
        }
    }
}
