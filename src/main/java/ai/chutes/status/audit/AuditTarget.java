package ai.chutes.status.audit;

import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * What of a request's path and query the audit line may repeat. A client may put a secret anywhere in
 * a URL (a token pasted into {@code ?key=}, an id that is really a password), and the redactor only
 * knows the secrets' shapes: so only the values of the API's own query parameters are written, every
 * other value is {@code [REDACTED]}, a parameter name that does not look like one is redacted too,
 * and no path segment is written beyond {@value #MAX_SEGMENT_CHARS} characters.
 */
final class AuditTarget {

    static final Set<String> KNOWN_PARAMETERS = Set.of("lines", "since_minutes", "detail", "gpu");
    static final String REDACTED = "[REDACTED]";
    static final int MAX_SEGMENT_CHARS = 64;
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private AuditTarget() {
    }

    /** Each segment of the path, cut at {@value #MAX_SEGMENT_CHARS} characters. */
    static String path(String path) {
        StringBuilder written = new StringBuilder(Math.min(path.length(), 1024));
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            String segment = path.substring(start, end < 0 ? path.length() : end);
            written.append(segment.length() > MAX_SEGMENT_CHARS ? segment.substring(0, MAX_SEGMENT_CHARS) + "..." : segment);
            if (end < 0) {
                break;
            }
            written.append('/');
            start = end + 1;
        }
        return written.toString();
    }

    /** The query with only the API's own parameters' values (each cut like a path segment). */
    static String query(String query) {
        StringJoiner written = new StringJoiner("&");
        for (String pair : query.split("[&;]", -1)) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (!PARAMETER_NAME.matcher(name).matches()) {
                written.add(REDACTED);
            } else if (equals < 0) {
                written.add(name);
            } else if (KNOWN_PARAMETERS.contains(name)) {
                String value = pair.substring(equals + 1);
                written.add(name + "=" + (value.length() > MAX_SEGMENT_CHARS ? value.substring(0, MAX_SEGMENT_CHARS) + "..." : value));
            } else {
                written.add(name + "=" + REDACTED);
            }
        }
        return written.toString();
    }
}
