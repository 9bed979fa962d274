package ai.chutes.status.audit;

import ai.chutes.status.redact.Redactor;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON line per request to the logger {@code audit}, which logback sends to standard output
 * (the agent's other logs go to standard error), so systemd can route the two streams apart. The path
 * and query are reduced to what may be repeated ({@link AuditTarget}), pass the redactor and are capped
 * at 1 KiB each; a bearer token itself is never part of a line, only its id.
 */
@Singleton
final class AuditLog {

    static final String LOGGER = "audit";
    private static final int MAX_TARGET_CHARS = 1024;
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final boolean enabled;
    private final JsonMapper json;
    private final Redactor redactor;

    AuditLog(AuditSettings settings, JsonMapper json, Redactor redactor) {
        this.enabled = settings.enabled();
        this.json = json;
        this.redactor = redactor;
    }

    void write(AuditRecord record) {
        if (!enabled || !AUDIT.isInfoEnabled()) {
            return;
        }
        try {
            AUDIT.info(json.writeValueAsString(record.finish(path -> clean(AuditTarget.path(path)),
                    query -> clean(AuditTarget.query(query)))));
        } catch (IOException | RuntimeException e) {
            LOG.error("could not write an audit line", e);
        }
    }

    private String clean(String text) {
        // redact before cutting, so a cut never leaves half a secret that no pattern recognises
        String redacted = redactor.redact(text);
        return redacted.length() > MAX_TARGET_CHARS ? redacted.substring(0, MAX_TARGET_CHARS) + "..." : redacted;
    }
}
