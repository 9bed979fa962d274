package ai.chutes.status;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Takes one class's log lines off the console for the length of a test that provokes them on purpose,
 * and keeps them for the test to assert on: passing tests stay quiet, and the expected line (with its
 * stack trace) is checked rather than printed. Lines of every other logger still reach the console.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<ILoggingEvent> events = new ArrayList<>();
    private final Logger logger;
    private final boolean additive;

    private LogCapture(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        additive = logger.isAdditive();
        setName("capture-" + source.getSimpleName());
        setContext(logger.getLoggerContext());
        start();
        logger.addAppender(this);
        logger.setAdditive(false);
    }

    /** Captures what {@code source}'s logger writes until {@link #close()}. */
    public static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        events.add(event);
    }

    /** How many lines at {@code level} contain {@code text}. */
    public synchronized long count(Level level, String text) {
        return events.stream()
                .filter(event -> event.getLevel() == level && event.getFormattedMessage().contains(text))
                .count();
    }

    /** Every captured line, formatted, for a failure message. */
    public synchronized List<String> lines() {
        return events.stream().map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        logger.setAdditive(additive);
        stop();
    }
}
