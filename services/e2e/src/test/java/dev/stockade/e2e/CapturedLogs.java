package dev.stockade.e2e;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log record of the JVM while open — the services' (JBoss Logging, java.util.logging), the
 * Kafka clients' and the in-JVM broker's (SLF4J, through slf4j-jboss-logmanager) — as the text a
 * log file would hold: the formatted message, then the stack trace of the exception if any.
 * {@code org.apache.kafka} and {@code kafka} log at INFO meanwhile (the clients print their
 * configuration there); the handlers already on the root logger are turned down to WARNING so the
 * console stays readable. {@link #close()} puts everything back.
 */
final class CapturedLogs extends Handler implements AutoCloseable {

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Logger root = Logger.getLogger("");
    private final Map<Handler, Level> consoleLevels = new HashMap<>();
    private final Map<Logger, Level> loggerLevels = new HashMap<>();

    CapturedLogs() {
        setLevel(Level.ALL);
        for (Handler handler : root.getHandlers()) {
            consoleLevels.put(handler, handler.getLevel());
            handler.setLevel(Level.WARNING);
        }
        for (String name : List.of("org.apache.kafka", "kafka")) {
            Logger logger = Logger.getLogger(name);
            loggerLevels.put(logger, logger.getLevel());
            logger.setLevel(Level.INFO);
        }
        root.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder text = new StringBuilder();
        text.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ").append(message(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            text.append('\n').append(trace);
        }
        lines.add(text.toString());
    }

    /** Every record so far. */
    List<String> lines() {
        return new ArrayList<>(lines);
    }

    /** The records so far that contain {@code text}. */
    List<String> containing(String text) {
        return lines.stream().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
        consoleLevels.forEach(Handler::setLevel);
        loggerLevels.forEach(Logger::setLevel);
    }

    private static String message(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            return ext.getFormattedMessage();
        }
        return new java.util.logging.SimpleFormatter().formatMessage(record);
    }
}
