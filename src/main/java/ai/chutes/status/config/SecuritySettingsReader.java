package ai.chutes.status.config;

import ai.chutes.status.redact.RedactionSettings;
import io.micronaut.core.value.PropertyResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads what may leave the agent ({@code status.redaction.patterns}), refusing a pattern that cannot work. */
final class SecuritySettingsReader {

    private final TypedProperties properties;

    SecuritySettingsReader(PropertyResolver properties) {
        this.properties = new TypedProperties(properties);
    }

    RedactionSettings redaction() {
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

    private static InvalidConfigurationException invalid(String message) {
        return new InvalidConfigurationException(message);
    }
}
