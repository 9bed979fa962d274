package ai.chutes.status.settings;

/** A setting that prevents a safe start; its message names the key and what is wrong, in one sentence. */
public final class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
