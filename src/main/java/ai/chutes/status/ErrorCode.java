package ai.chutes.status;

/**
 * The one error vocabulary: each code the agent can answer with, its HTTP status, and the sentence it
 * says when the case needs no more detail. Every error body, every HTTP error and every failed check
 * inside /overview, /metrics and the push channel uses these codes, and only these.
 */
public enum ErrorCode {
    NOT_FOUND("not_found", 404, "no such endpoint"),
    METHOD_NOT_ALLOWED("method_not_allowed", 405, "this endpoint only answers GET"),
    UNKNOWN_SERVICE("unknown_service", 404, "no service with that id is on the allowlist"),
    BAD_REQUEST("bad_request", 400, "the request could not be understood"),
    REQUEST_TOO_LARGE("request_too_large", 413, "the request is larger than this agent accepts"),
    UNAUTHORIZED("unauthorized", 401, "this endpoint needs a valid bearer token"),
    FORBIDDEN("forbidden", 403, "this caller may not use this agent"),
    RATE_LIMITED("rate_limited", 429, "too many requests from this caller; retry after the time in Retry-After"),
    TIMEOUT("timeout", 504, "the command did not finish within its timeout and was stopped"),
    MISSING_BINARY("missing_binary", 503, "the command is not installed or not executable on this host"),
    COMMAND_FAILED("command_failed", 502, "the command exited with a non-zero status"),
    BUSY("busy", 503, "too many commands are waiting to run; retry shortly"),
    INTERNAL("internal_error", 500, "the agent could not answer this request");

    private final String code;
    private final int httpStatus;
    private final String sentence;

    ErrorCode(String code, int httpStatus, String sentence) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.sentence = sentence;
    }

    /** The wire name, e.g. {@code missing_binary}. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The sentence for a body that needs no more detail. */
    public String sentence() {
        return sentence;
    }

    /** The code of a body's {@code error}; {@link #INTERNAL} for a string that is none of ours. */
    public static ErrorCode of(String code) {
        for (ErrorCode value : values()) {
            if (value.code.equals(code)) {
                return value;
            }
        }
        return INTERNAL;
    }
}
