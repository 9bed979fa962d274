package ai.chutes.status.command;

/** How a command ended; the lower-case names are the metric label values. */
public enum Outcome {
    OK,
    EXIT_NONZERO,
    TIMEOUT,
    MISSING_BINARY;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
