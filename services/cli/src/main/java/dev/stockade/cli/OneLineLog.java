package dev.stockade.cli;

import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * java.util.logging records in the CLI's own one-line format ({@code warning: <source>: <message>},
 * like the commands' {@code warning:} and {@code note:} lines), instead of JUL's two-line default
 * (a date and class line, then the message). A throwable is named on the same line, its stack trace
 * only with {@code STOCKADE_DEBUG} set.
 */
final class OneLineLog extends Formatter {

    private OneLineLog() {
    }

    /** Puts the root logger at {@code level} and gives each of its handlers this format. */
    static void install(Level level) {
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(level);
            handler.setFormatter(new OneLineLog());
        }
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(label(record.getLevel())).append(": ").append(source(record.getLoggerName()))
                .append(": ").append(formatMessage(record).replace('\n', ' '));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            line.append(" (").append(thrown).append(')');
        }
        line.append('\n');
        if (thrown != null && System.getenv("STOCKADE_DEBUG") != null) {
            java.io.StringWriter trace = new java.io.StringWriter();
            thrown.printStackTrace(new java.io.PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    private static String label(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            return "error";
        }
        return level.intValue() >= Level.WARNING.intValue() ? "warning" : level.getName().toLowerCase(Locale.ROOT);
    }

    /** The logger's simple name: {@code dev.stockade.agent.AgentNode} reads {@code AgentNode}. */
    private static String source(String logger) {
        if (logger == null || logger.isEmpty()) {
            return "stockade";
        }
        return logger.substring(logger.lastIndexOf('.') + 1);
    }
}
