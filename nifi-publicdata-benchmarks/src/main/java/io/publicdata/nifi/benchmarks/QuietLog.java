package io.publicdata.nifi.benchmarks;

import org.apache.nifi.logging.ComponentLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * A component logger for timed runs: warnings and errors go to SLF4J, the rest nowhere. The mock framework's own
 * logger keeps every message and its arguments (FlowFiles included) for the life of a runner, which would grow the heap
 * of a long benchmark with each FlowFile ConvertRecord reports, and slow whichever side logs more.
 */
final class QuietLog {

    private QuietLog() {
    }

    static ComponentLog of(final String name) {
        final Logger logger = LoggerFactory.getLogger(name);
        final InvocationHandler handler = (proxy, method, args) -> {
            switch (method.getName()) {
                case "getName":
                    return name;
                case "isWarnEnabled":
                    return logger.isWarnEnabled();
                case "isErrorEnabled":
                    return logger.isErrorEnabled();
                case "isInfoEnabled":
                case "isDebugEnabled":
                case "isTraceEnabled":
                    return false;
                case "warn":
                case "error":
                    final String message = (String) args[0];
                    final Object[] arguments = args.length < 2 ? new Object[0]
                            : args[1] instanceof Object[] array ? array : new Object[] {args[1]};
                    if (method.getName().equals("warn")) {
                        logger.warn(message, arguments);
                    } else {
                        logger.error(message, arguments);
                    }
                    return null;
                default:
                    // Other levels are dropped; ComponentLog's default methods (log(LogLevel, ...)) end up in the ones above
                    return method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args) : null;
            }
        };
        return (ComponentLog) Proxy.newProxyInstance(QuietLog.class.getClassLoader(), new Class<?>[] {ComponentLog.class}, handler);
    }
}
