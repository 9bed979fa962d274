package ai.chutes.status.api;

/** A service id that is not on the allowlist; answered with {@code ErrorCode.UNKNOWN_SERVICE}. */
final class UnknownServiceException extends RuntimeException {

    UnknownServiceException() {
        super(null, null, false, false);
    }
}
