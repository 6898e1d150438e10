package io.publicdata.nifi.processors;

import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.logging.LogLevel;

/**
 * The logger handed to NiFi's record readers and writers. They log what they could not read or write with the value in
 * it ({@code Failed to convert JSON Element {"idCard":"1101..."} into a Record object}, {@code Failed to write
 * MapRecord[{mobile=...}]}), at error level, so into a bulletin, before they throw. Through this logger their message
 * text stays, every argument is withheld, and an exception is named by {@link SafeMessages}: the component's log and
 * bulletins say that a record failed and why in kind, never with what.
 */
final class SafeComponentLog implements ComponentLog {

    static final String WITHHELD = "(withheld)";

    private final ComponentLog delegate;

    SafeComponentLog(final ComponentLog delegate) {
        this.delegate = delegate;
    }

    /** The message with each placeholder filled by a withheld argument or the safe reason of an exception. */
    static String safe(final String message, final Object... args) {
        final String text = message == null ? "" : message;
        final StringBuilder out = new StringBuilder(text.length() + 32);
        int arg = 0;
        int from = 0;
        for (int at = text.indexOf("{}"); at >= 0; at = text.indexOf("{}", from)) {
            out.append(text, from, at).append(args != null && arg < args.length ? describe(args[arg]) : "{}");
            arg++;
            from = at + 2;
        }
        out.append(text, from, text.length());
        if (args != null && arg < args.length && args[args.length - 1] instanceof Throwable failure) {
            out.append(": ").append(SafeMessages.reason(failure));
        }
        return SafeMessages.scrub(out.toString());
    }

    private static String describe(final Object arg) {
        return arg instanceof Throwable failure ? SafeMessages.reason(failure) : WITHHELD;
    }

    private static Throwable last(final Object... args) {
        return args != null && args.length > 0 && args[args.length - 1] instanceof Throwable failure ? SafeMessages.loggable(failure) : null;
    }

    @Override
    public void log(final LogLevel level, final String message, final Throwable t) {
        final String text = safe(message, t);
        if (t == null) {
            delegate.log(level, text);
        } else {
            delegate.log(level, text, SafeMessages.loggable(t));
        }
    }

    @Override
    public void log(final LogLevel level, final String message, final Object... args) {
        final Throwable t = last(args);
        if (t == null) {
            delegate.log(level, safe(message, args));
        } else {
            delegate.log(level, safe(message, args), t);
        }
    }

    @Override
    public void log(final LogLevel level, final String message) {
        delegate.log(level, safe(message));
    }

    @Override
    public void warn(final String message, final Throwable t) {
        log(LogLevel.WARN, message, t);
    }

    @Override
    public void warn(final String message, final Object... args) {
        log(LogLevel.WARN, message, args);
    }

    @Override
    public void warn(final String message) {
        log(LogLevel.WARN, message);
    }

    @Override
    public void trace(final String message, final Throwable t) {
        log(LogLevel.TRACE, message, t);
    }

    @Override
    public void trace(final String message, final Object... args) {
        log(LogLevel.TRACE, message, args);
    }

    @Override
    public void trace(final String message) {
        log(LogLevel.TRACE, message);
    }

    @Override
    public void info(final String message, final Throwable t) {
        log(LogLevel.INFO, message, t);
    }

    @Override
    public void info(final String message, final Object... args) {
        log(LogLevel.INFO, message, args);
    }

    @Override
    public void info(final String message) {
        log(LogLevel.INFO, message);
    }

    @Override
    public void error(final String message, final Throwable t) {
        log(LogLevel.ERROR, message, t);
    }

    @Override
    public void error(final String message, final Object... args) {
        log(LogLevel.ERROR, message, args);
    }

    @Override
    public void error(final String message) {
        log(LogLevel.ERROR, message);
    }

    @Override
    public void debug(final String message, final Throwable t) {
        log(LogLevel.DEBUG, message, t);
    }

    @Override
    public void debug(final String message, final Object... args) {
        log(LogLevel.DEBUG, message, args);
    }

    @Override
    public void debug(final String message) {
        log(LogLevel.DEBUG, message);
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled();
    }

    @Override
    public boolean isTraceEnabled() {
        return delegate.isTraceEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return delegate.isErrorEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled();
    }

    @Override
    public String getName() {
        return delegate.getName();
    }
}
