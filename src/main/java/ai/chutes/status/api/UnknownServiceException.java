package ai.chutes.status.api;

/** A service id that is not on the allowlist. */
final class UnknownServiceException extends RuntimeException {

    UnknownServiceException() {
        super("no service with that id is on the allowlist", null, false, false);
    }
}
