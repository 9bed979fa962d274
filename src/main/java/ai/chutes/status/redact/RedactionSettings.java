package ai.chutes.status.redact;

import java.util.List;
import java.util.regex.Pattern;

/** Extra patterns from {@code status.redaction.patterns}, compiled and checked at start-up. */
public record RedactionSettings(List<Pattern> patterns) {

    public RedactionSettings {
        patterns = List.copyOf(patterns);
    }

    public static RedactionSettings none() {
        return new RedactionSettings(List.of());
    }
}
