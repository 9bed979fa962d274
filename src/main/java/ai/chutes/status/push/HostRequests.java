package ai.chutes.status.push;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the host's lines on one connection and answers on the same connection, through the outbox:
 * {@code ping} with {@code pong}, {@code get_overview} with a fresh overview, anything else with an
 * {@code ack} saying why. A bad line never ends the connection; only the end of the stream does.
 */
final class HostRequests {

    private static final Logger LOG = LoggerFactory.getLogger(HostRequests.class);
    private static final int MAX_ECHOED_TYPE = 64;

    private final Ndjson ndjson;
    private final Outbox outbox;
    private final Runnable overviewRequested;

    HostRequests(Ndjson ndjson, Outbox outbox, Runnable overviewRequested) {
        this.ndjson = ndjson;
        this.outbox = outbox;
        this.overviewRequested = overviewRequested;
    }

    /** Answers until the host closes its side or the connection fails, then closes the connection. */
    void serve(PushConnection connection) {
        try {
            BoundedLineReader lines = new BoundedLineReader(connection.socket().getInputStream(), Ndjson.MAX_LINE_BYTES);
            BoundedLineReader.Line line;
            while ((line = lines.next()) != null) {
                answer(line);
            }
        } catch (IOException e) {
            LOG.debug("push: reading from the host ended: {}", e.getMessage());
        } finally {
            connection.close();
        }
    }

    private void answer(BoundedLineReader.Line line) {
        if (line.tooLong()) {
            outbox.offerReply(ack(null, "the line is longer than 1 MiB"));
            return;
        }
        if (line.bytes().length == 0) {
            return;
        }
        String type;
        try {
            type = ndjson.typeOf(line.bytes());
        } catch (Ndjson.MalformedLineException e) {
            outbox.offerReply(ack(null, e.getMessage()));
            return;
        }
        switch (type) {
            case "ping" -> outbox.offerReply(Outgoing.unsequenced("pong", new Payloads.Empty()));
            case "get_overview" -> overviewRequested.run();
            default -> outbox.offerReply(ack(type.length() > MAX_ECHOED_TYPE ? type.substring(0, MAX_ECHOED_TYPE) : type,
                    "unknown message type"));
        }
    }

    private static Outgoing ack(String replyTo, String error) {
        return Outgoing.unsequenced("ack", new Payloads.Ack(replyTo, false, error));
    }
}
