package ai.chutes.status.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.chutes.status.RunningAgent;
import ai.chutes.status.redact.RedactionSettings;
import ai.chutes.status.redact.Redactor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.json.JsonMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit line as the agent writes it, against what Micronaut serde writes for the same entry. */
class AuditLineTest {

    private static final String HARD = "quote \" backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007 "
            + "é ü 中 \u2028 \u2029 😀 </script> \uFFFF";

    @Test
    void theLineIsWhatSerdeWritesForTheSameEntry() throws Exception {
        List<AuditEntry> entries = List.of(
                new AuditEntry("2026-12-01T16:03:30.031689368Z", "token:0123456789ab", "allowed", "tcp", "127.0.0.1:36910",
                        null, "GET", "/services/k3s/logs", "lines=5", 200, 31.997, 15,
                        List.of(List.of("journalctl", "--unit=k3s.service", "--no-pager"), List.of("systemctl", "show"))),
                new AuditEntry("2026-12-01T00:00:00Z", "peer:root/root", "unauthorized", "unix", null, "root/root",
                        "GET", "/", null, null, 0.0, 0, List.of()),
                new AuditEntry(HARD, HARD, HARD, HARD, HARD, HARD, HARD, HARD, HARD, 431, 0.0001, Long.MAX_VALUE,
                        List.of(List.of(HARD, ""), List.of())),
                new AuditEntry("t", "c", "a", "l", "r", "p", "m", "/x", "q", -1, 1234567.891, -1, List.of(List.of("a"))));
        try (RunningAgent agent = new RunningAgent(Map.of())) {
            JsonMapper serde = agent.context().getBean(JsonMapper.class);
            for (AuditEntry entry : entries) {
                assertEquals(new String(serde.writeValueAsBytes(entry), java.nio.charset.StandardCharsets.UTF_8), AuditLine.of(entry));
            }
        }
    }

    @Test
    void cleanTargetsAreRememberedUpToABoundAndSecretsRedactedEveryTime() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuditLog log = new AuditLog(new AuditSettings(true), new Redactor(RedactionSettings.none(), registry));
        String jwt = "/services/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        for (int round = 0; round < 2; round++) {
            assertEquals("/health", log.clean("/health"));
            assertNotEquals(jwt, log.clean(jwt), "a secret is redacted every time");
        }
        assertEquals(2.0, registry.get("system.status.redactions").tag("kind", "jwt").counter().count());
        for (int i = 0; i < 3 * AuditLog.REMEMBERED_CLEAN; i++) {
            assertEquals("/p" + i, log.clean("/p" + i));
        }
        assertEquals(AuditLog.REMEMBERED_CLEAN, log.rememberedClean(), "a client sending new paths fills the set once, no more");
        assertNotEquals(jwt, log.clean(jwt));
    }
}
