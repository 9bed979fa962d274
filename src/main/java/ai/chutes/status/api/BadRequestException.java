package ai.chutes.status.api;

/** A query parameter that cannot be used; the message is safe to show (it never echoes the input). */
final class BadRequestException extends RuntimeException {

    BadRequestException(String message) {
        super(message, null, false, false);
    }
}
