package ai.chutes.status.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.audit.AuditCapture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-caller request rate: 429 with Retry-After once a caller's burst is spent; others and /health unaffected. */
class RateLimitTest {

    @TempDir
    Path dir;

    @Test
    void eachCallerHasItsOwnBucketAndHealthIsExempt() throws Exception {
        Map<String, Object> properties = new HashMap<>(new FakeBinaries(dir).properties());
        properties.put("status.auth.token-file", TokenAuthTest.tokenFile(dir, TokenAuthTest.TOKEN, TokenAuthTest.NEXT_TOKEN).toString());
        properties.put("status.rate-limit.per-second", "0.5");
        properties.put("status.rate-limit.burst", "3");
        String first = "Bearer " + TokenAuthTest.TOKEN;
        try (RunningAgent agent = new RunningAgent(properties); AuditCapture audit = new AuditCapture()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, TokenAuthTest.get(agent, "/services", first).statusCode(), "request " + i + " is within the burst");
            }
            HttpResponse<String> limited = TokenAuthTest.get(agent, "/services/k3s/status", first);
            assertEquals(429, limited.statusCode());
            long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 2, "one token per 2 s: " + retryAfter);
            JsonSchemas.assertValid("error.schema.json", limited.body());
            assertTrue(limited.body().contains("\"error\":\"rate_limited\""), limited.body());

            assertEquals(200, TokenAuthTest.get(agent, "/services", "Bearer " + TokenAuthTest.NEXT_TOKEN).statusCode(),
                    "another caller has its own bucket");
            for (int i = 0; i < 50; i++) {
                assertEquals(200, TokenAuthTest.get(agent, "/health", first).statusCode(), "/health is never limited");
            }
            assertEquals("rate_limited", audit.await(AuditCapture.path("/services/k3s/status")).path("access").asText());
            Thread.sleep(retryAfter * 1000 + 100);
            assertEquals(200, TokenAuthTest.get(agent, "/services", first).statusCode(), "served again after Retry-After");
        }
    }

    @Test
    void anonymousCallersAreKeyedByAddress() {
        Map<String, Object> properties = new HashMap<>(new FakeBinaries(dir).properties());
        properties.put("status.rate-limit.per-second", "1");
        try (RunningAgent agent = new RunningAgent(properties)) {
            int limited = 0;
            for (int i = 0; i < 5; i++) {
                limited += agent.get("/services").status() == 429 ? 1 : 0;
            }
            assertTrue(limited >= 2, "burst defaults to twice the rate (2): " + limited + " of 5 limited");
        }
    }
}
