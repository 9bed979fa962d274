package ai.chutes.status.redact;

import static ai.chutes.status.settings.TypedProperties.invalid;

import ai.chutes.status.settings.TypedProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Extra patterns from {@code status.redaction.patterns}, compiled and checked at start-up. */
public record RedactionSettings(List<Pattern> patterns) {

    public RedactionSettings {
        patterns = List.copyOf(patterns);
    }

    public static RedactionSettings none() {
        return new RedactionSettings(List.of());
    }

    /** Each pattern must compile and must not match the empty string (it would match everywhere). */
    public static RedactionSettings read(TypedProperties properties) {
        List<String> raw = properties.list("status.redaction.patterns");
        List<Pattern> patterns = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String key = "status.redaction.patterns[" + i + "]";
            Pattern pattern;
            try {
                pattern = Pattern.compile(raw.get(i));
            } catch (PatternSyntaxException e) {
                throw invalid(key + " is not a valid regular expression: " + e.getDescription());
            }
            if (pattern.matcher("").find()) {
                throw invalid(key + " matches the empty string, so it would match everywhere; make it match at least one character");
            }
            patterns.add(pattern);
        }
        return new RedactionSettings(patterns);
    }
}
