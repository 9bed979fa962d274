package ai.chutes.status.authentication;

import java.util.Locale;

/** What the access policy decided for one request; the lower-case names appear in the audit log. */
public enum Verdict {
    /** A path anyone may ask: {@code /health}, and {@code /metrics} when it is opened. */
    OPEN,
    /** The caller passed every check that applies to its listener (or none applies). */
    ALLOWED,
    /** No valid credential was presented: 401. */
    UNAUTHORIZED,
    /** The caller is known but not let in (a unix peer outside the allowlist, no client certificate): 403. */
    FORBIDDEN,
    /** Let in, but over its request rate: 429. */
    RATE_LIMITED,
    /** The request was answered before the checks ran (malformed, too large). */
    NOT_CHECKED;

    /** The request attribute under which the access filter leaves its verdict (for the audit line). */
    public static final String ATTRIBUTE = "system-status.verdict";

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
