package ai.chutes.status.redact;

import ai.chutes.status.command.OutputFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces secrets in text that is about to leave the agent: journal lines and nvidia-smi output (in
 * HTTP bodies and the pushed overview), and the request targets in the audit log. A safety net for the
 * common shapes (private keys, JWTs, bearer tokens, AWS key ids, {@code password=}-style values, URL
 * credentials, and the operator's own patterns), not a guarantee that no secret can pass.
 *
 * <p>Each replacement counts in {@code system_status_redactions_total{kind}}.
 */
@Singleton
public final class Redactor implements OutputFilter {

    static final String CONFIGURED = "configured";

    private final List<RedactionRule> rules;
    private final Counter privateKeys;
    private final Map<String, Counter> counters = new LinkedHashMap<>();

    public Redactor(RedactionSettings settings, MeterRegistry registry) {
        List<RedactionRule> all = new ArrayList<>(SecretPatterns.BUILT_IN);
        for (Pattern pattern : settings.patterns()) {
            all.add(new RedactionRule(CONFIGURED, pattern, SecretPatterns.REDACTED));
        }
        this.rules = List.copyOf(all);
        // Every kind exists from the start, so the first redaction shows as an increase, not a new series.
        this.privateKeys = counter(registry, PrivateKeyBlocks.KIND);
        for (RedactionRule rule : rules) {
            counters.computeIfAbsent(rule.kind(), kind -> counter(registry, kind));
        }
    }

    /** Command output: redacted once per run by the command runner, before it is cached or shared. */
    @Override
    public String filter(String text) {
        return redact(text);
    }

    /** The text with every secret found replaced by {@code [REDACTED]}; unchanged when none was found. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = PrivateKeyBlocks.redact(text, privateKeys::increment);
        for (RedactionRule rule : rules) {
            Counter counter = counters.get(rule.kind());
            result = rule.apply(result, counter::increment);
        }
        return result;
    }

    private static Counter counter(MeterRegistry registry, String kind) {
        return Counter.builder("system.status.redactions")
                .description("Secrets replaced in output before it left the agent, by kind")
                .tag("kind", kind)
                .register(registry);
    }
}
