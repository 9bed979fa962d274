package ai.chutes.status.command;

/**
 * Rewrites a command's output once, when the run finishes, before the result is cached or shared:
 * the redaction of secrets. Every reader, the cache and the push channel then see the filtered text.
 */
public interface OutputFilter {

    String filter(String text);
}
