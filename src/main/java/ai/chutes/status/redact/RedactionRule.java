package ai.chutes.status.redact;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kind of secret: a pattern and its replacement ({@code $n} group references allowed, so a rule can
 * keep a key name and drop only its value). {@code kind} is the metric label.
 */
record RedactionRule(String kind, Pattern pattern, String replacement) {

    /** Applies the rule and counts each replacement. A zero-length match replaces nothing. */
    String apply(String text, Runnable onEach) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            boolean empty = matcher.end() == matcher.start();
            matcher.appendReplacement(out, empty ? "" : replacement);
            if (!empty) {
                onEach.run();
            }
        } while (matcher.find());
        return matcher.appendTail(out).toString();
    }
}
