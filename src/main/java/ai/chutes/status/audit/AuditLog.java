package ai.chutes.status.audit;

import ai.chutes.status.redact.Redactor;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    /** How many targets found clean are remembered (see {@link #clean}). */
    static final int REMEMBERED_CLEAN = 64;
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final boolean enabled;
    private final Redactor redactor;
    private final Set<String> cleanTargets = ConcurrentHashMap.newKeySet();

    AuditLog(AuditSettings settings, Redactor redactor) {
        this.enabled = settings.enabled();
        this.redactor = redactor;
    }

    void write(AuditRecord record) {
        if (!enabled || !AUDIT.isInfoEnabled()) {
            return;
        }
        try {
            AUDIT.info(AuditLine.of(record.finish(path -> clean(AuditTarget.path(path)),
                    query -> clean(AuditTarget.query(query)))));
        } catch (RuntimeException e) {
            LOG.error("could not write an audit line", e);
        }
    }

    /**
     * The target redacted and cut. Targets repeat ({@code /health}, {@code /overview}), and the rules are
     * fixed, so one found clean is clean again: the first {@value #REMEMBERED_CLEAN} such are remembered
     * and not scanned again (a client sending endless new paths fills the set once, no more).
     */
    String clean(String text) {
        if (cleanTargets.contains(text)) {
            return text;
        }
        // redact before cutting, so a cut never leaves half a secret that no pattern recognises
        String redacted = redactor.redact(text);
        if (redacted.length() > MAX_TARGET_CHARS) {
            return redacted.substring(0, MAX_TARGET_CHARS) + "...";
        }
        if (redacted.equals(text) && cleanTargets.size() < REMEMBERED_CLEAN) {
            cleanTargets.add(text);
        }
        return redacted;
    }

    int rememberedClean() {
        return cleanTargets.size();
    }
}
