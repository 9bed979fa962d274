package ai.chutes.status.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.LogCapture;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.audit.AuditCapture;
import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens from a file, over a real TCP socket: refused without or with a wrong token (401, the
 * error body, {@code WWW-Authenticate: Bearer}, nothing about why), served with a valid one, re-read
 * when the file is rewritten, and {@code /health} (and, when opened, {@code /metrics}) open to all.
 */
public class TokenAuthTest {

    public static final String TOKEN = "k3s-admission-0123456789abcdef";
    static final String NEXT_TOKEN = "rotated-token-fedcba9876543210";

    @TempDir
    Path dir;

    public static Path tokenFile(Path dir, String... tokens) throws IOException {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# status agent tokens\n" + String.join("\n", tokens) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private RunningAgent agent(Map<String, Object> extra) throws IOException {
        Map<String, Object> properties = new HashMap<>(new FakeBinaries(dir).properties());
        properties.put("status.auth.token-file", tokenFile(dir, TOKEN).toString());
        properties.putAll(extra);
        return new RunningAgent(properties);
    }

    public static HttpResponse<String> get(RunningAgent agent, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(agent.uri(path)).timeout(Duration.ofSeconds(20)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return agent.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesWithoutAValidTokenAndSaysNothingAboutWhy() throws Exception {
        try (RunningAgent agent = agent(Map.of())) {
            List<String> refused = List.of("", "Bearer ", "Bearer wrong-token-0123456789", "Basic " + TOKEN, "Bearer " + TOKEN + "x",
                    "Bearer " + TOKEN.substring(1), "bearer" + TOKEN, "Token " + TOKEN);
            String firstBody = null;
            for (String authorization : refused) {
                for (String path : List.of("/services", "/services/k3s/status", "/overview", "/metrics", "/nosuch")) {
                    HttpResponse<String> response = get(agent, path, authorization.isEmpty() ? null : authorization);
                    assertEquals(401, response.statusCode(), path + " with '" + authorization + "'");
                    assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(""));
                    JsonSchemas.assertValid("error.schema.json", response.body());
                    firstBody = firstBody == null ? response.body() : firstBody;
                    assertEquals(firstBody, response.body(), "every refusal reads the same, whatever was wrong");
                }
            }
            assertTrue(firstBody.contains("\"error\":\"unauthorized\""), firstBody);
        }
    }

    @Test
    void servesAValidTokenAndKeepsHealthOpen() throws Exception {
        try (RunningAgent agent = agent(Map.of())) {
            assertEquals(200, get(agent, "/services", "Bearer " + TOKEN).statusCode());
            assertEquals(200, get(agent, "/services/k3s/status", "bearer   " + TOKEN).statusCode(), "scheme is case-insensitive");
            assertEquals(404, get(agent, "/nosuch", "Bearer " + TOKEN).statusCode(), "with a token, unknown paths are 404 again");
            assertEquals(200, get(agent, "/health", null).statusCode());
            assertEquals(200, get(agent, "/health/", null).statusCode());
            assertEquals(200, get(agent, "/health", "Bearer nonsense-token-000000000").statusCode(), "a bad token does not close /health");
            assertEquals(401, get(agent, "/metrics", null).statusCode(), "metrics are closed unless opened");
        }
    }

    @Test
    void twoAuthorizationHeadersCountAsNone() throws Exception {
        try (RunningAgent agent = agent(Map.of())) {
            HttpRequest request = HttpRequest.newBuilder(agent.uri("/services")).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + TOKEN).header("Authorization", "Bearer " + TOKEN).GET().build();
            assertEquals(401, agent.client().send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void metricsCanBeOpenedAlone() throws Exception {
        try (RunningAgent agent = agent(Map.of("status.auth.metrics-open", "true"))) {
            HttpResponse<String> metrics = get(agent, "/metrics", null);
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("system_status_redactions_total"), "redaction counters are exported");
            assertEquals(401, get(agent, "/overview", null).statusCode());
        }
    }

    @Test
    void aRewrittenTokenFileIsReadAgain() throws Exception {
        try (RunningAgent agent = agent(Map.of()); AuditCapture audit = new AuditCapture()) {
            assertEquals(200, get(agent, "/services", "Bearer " + TOKEN).statusCode());
            assertEquals(401, get(agent, "/services", "Bearer " + NEXT_TOKEN).statusCode());
            // Rotation as an operator does it: add the new token, then drop the old one.
            tokenFile(dir, TOKEN, NEXT_TOKEN);
            awaitStatus(agent, "Bearer " + NEXT_TOKEN, 200);
            assertEquals(200, get(agent, "/services", "Bearer " + TOKEN).statusCode(), "both tokens during the rotation");
            tokenFile(dir, NEXT_TOKEN);
            awaitStatus(agent, "Bearer " + TOKEN, 401);
            assertEquals(200, get(agent, "/services", "Bearer " + NEXT_TOKEN).statusCode());
            // A file turned world-readable fails closed: its tokens are no longer secret.
            try (LogCapture log = LogCapture.of(TokenFile.class)) {
                Files.setPosixFilePermissions(dir.resolve("tokens"), PosixFilePermissions.fromString("rw-r--r--"));
                awaitStatus(agent, "Bearer " + NEXT_TOKEN, 401);
                Files.setPosixFilePermissions(dir.resolve("tokens"), PosixFilePermissions.fromString("rw-------"));
                awaitStatus(agent, "Bearer " + NEXT_TOKEN, 200);
                assertEquals(1, log.count(Level.ERROR, "must not be readable by others"), "the operator is told: " + log.lines());
            }
            for (String line : audit.lines()) {
                assertFalse(line.contains(TOKEN) || line.contains(NEXT_TOKEN), "a token in the audit log: " + line);
            }
            JsonNode allowed = audit.await(entry -> "allowed".equals(entry.path("access").asText()));
            assertTrue(allowed.path("caller").asText().matches("token:[0-9a-f]{12}"), allowed.toString());
        }
    }

    /** The file is checked at most once a second; the new state must show within a few. */
    private static void awaitStatus(RunningAgent agent, String authorization, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int last;
        do {
            last = get(agent, "/services", authorization).statusCode();
            if (last == expected) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertEquals(expected, last, "the token file change was not picked up within 5 s");
    }
}
