package ai.chutes.status;

/** A command behind a request failed; carries the error body the client gets. */
public final class CheckFailedException extends RuntimeException {

    private final transient ErrorBody body;

    public CheckFailedException(ErrorBody body) {
        super(body.message(), null, false, false);
        this.body = body;
    }

    public ErrorBody body() {
        return body;
    }
}
