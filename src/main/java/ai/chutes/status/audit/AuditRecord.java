package ai.chutes.status.audit;

import ai.chutes.status.authentication.Caller;
import ai.chutes.status.authentication.Connection;
import ai.chutes.status.authentication.Verdict;
import io.micronaut.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One request on its way through the agent, from its headers to the last byte of its answer: what the
 * audit line will say. Status and bytes are written on the connection's event loop; commands may be
 * added from whatever thread asked the runner.
 */
final class AuditRecord {

    /** The request attribute under which the audit filter leaves the record for the command trail. */
    static final String ATTRIBUTE = "system-status.audit-record";

    private final Object nettyRequest;
    private final Instant time;
    private final long startNanos;
    private final String method;
    private final String target;
    private final Caller caller;
    private final List<List<String>> commands = new ArrayList<>(2);
    private volatile HttpRequest<?> request;
    private Integer status;
    private long bytes;

    AuditRecord(Object nettyRequest, String method, String target, Caller caller) {
        this.nettyRequest = nettyRequest;
        this.time = Instant.now();
        this.startNanos = System.nanoTime();
        this.method = method;
        this.target = target;
        this.caller = caller;
    }

    boolean isFor(Object request) {
        return nettyRequest == request;
    }

    Caller caller() {
        return caller;
    }

    /** The request as Micronaut serves it, where the access filter leaves its {@link Verdict}. */
    void attach(HttpRequest<?> request) {
        this.request = request;
    }

    /** Not checked when Micronaut answered before the access filter ran (malformed, too large). */
    private Verdict verdict() {
        HttpRequest<?> served = request;
        return served == null ? Verdict.NOT_CHECKED : served.getAttribute(Verdict.ATTRIBUTE, Verdict.class).orElse(Verdict.NOT_CHECKED);
    }

    void status(int status) {
        this.status = status;
    }

    void addBytes(long count) {
        bytes += count;
    }

    void addCommand(List<String> argv) {
        synchronized (commands) {
            commands.add(List.copyOf(argv));
        }
    }

    /** The audit line; the cleaners reduce the path and the query to what may be written. */
    AuditEntry finish(UnaryOperator<String> cleanPath, UnaryOperator<String> cleanQuery) {
        double millis = (System.nanoTime() - startNanos) / 1e6;
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String rawQuery = query < 0 ? null : target.substring(query + 1);
        Connection connection = caller.connection();
        List<List<String>> ran;
        synchronized (commands) {
            ran = List.copyOf(commands);
        }
        return new AuditEntry(time.toString(), caller.identity(), verdict().label(), connection.listener().name().toLowerCase(Locale.ROOT),
                connection.remoteAddress(), connection.peerName(), method, cleanPath.apply(path),
                rawQuery == null ? null : cleanQuery.apply(rawQuery), status, Math.round(millis * 1000) / 1000.0, bytes, ran);
    }
}
