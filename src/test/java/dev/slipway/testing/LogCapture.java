package dev.slipway.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Everything the application logs while open, as the console would print it (messages with their parameters filled in
 * and the stack traces of attached exceptions), so a test can search the log for what must never appear in it.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private static final SimpleFormatter PARAMETERS = new SimpleFormatter();
    private final StringBuffer text = new StringBuffer();

    private LogCapture() {
        setLevel(Level.ALL);
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    public String text() {
        return text.toString();
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : PARAMETERS.formatMessage(record);
        text.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(' ').append(message).append('\n');
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            text.append(trace).append('\n');
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
