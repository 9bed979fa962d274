package ai.chutes.status.audit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Collects the lines the agent writes to the {@code audit} logger, as an operator's log shipper would
 * read them from standard output, and parses them as JSON.
 */
public final class AuditCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> lines = new ArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);

    public AuditCapture() {
        setName("audit-capture");
        setContext(logger.getLoggerContext());
        start();
        logger.addAppender(this);
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        lines.add(event.getFormattedMessage());
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized void clear() {
        lines.clear();
    }

    /** Every line so far, parsed; each must be one JSON object on one line. */
    public List<JsonNode> entries() {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : lines()) {
            if (line.contains("\n")) {
                throw new AssertionError("an audit line spans lines: " + line);
            }
            try {
                entries.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + line, e);
            }
        }
        return entries;
    }

    /** The first entry that matches, waiting a little: the line is written once the answer is on the wire. */
    public JsonNode await(Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode entry : entries()) {
                if (matching.test(entry)) {
                    return entry;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no audit line matched; lines:\n" + String.join("\n", lines()));
    }

    public static Predicate<JsonNode> path(String path) {
        return entry -> path.equals(entry.path("path").asText());
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
