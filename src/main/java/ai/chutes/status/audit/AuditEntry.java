package ai.chutes.status.audit;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/**
 * One audit line. {@code caller} is the strongest identity known ({@code token:<id>}, {@code cert:<subject>},
 * {@code peer:<user>/<group>}, {@code addr:<ip>}); {@code access} what the policy decided; {@code status}
 * null when the connection closed before an answer was written; {@code commands} the argv of each
 * command the request asked for (run, shared with a run in flight, or answered from the cache).
 * {@link AuditLine} writes it; serde's mapping of it is the reference {@code AuditLineTest} holds that to.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
record AuditEntry(
        String time,
        String caller,
        String access,
        String listener,
        String remote,
        String peer,
        String method,
        String path,
        String query,
        Integer status,
        double durationMs,
        long bytes,
        List<List<String>> commands) {
}
