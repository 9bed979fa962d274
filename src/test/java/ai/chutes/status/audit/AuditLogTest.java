package ai.chutes.status.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.authentication.Curl;
import ai.chutes.status.authentication.TokenAuthTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log as an operator reads it: one JSON object per line per request, parsed here, with the
 * caller and the outcome of allowed and refused calls, the commands a request ran, and never a token.
 */
class AuditLogTest {

    @TempDir
    Path dir;

    @Test
    void oneLinePerRequestWithCallerOutcomeAndCommands() throws Exception {
        Map<String, Object> properties = new HashMap<>(new FakeBinaries(dir).properties());
        properties.put("status.auth.token-file", TokenAuthTest.tokenFile(dir, TokenAuthTest.TOKEN).toString());
        String bearer = "Bearer " + TokenAuthTest.TOKEN;
        try (RunningAgent agent = new RunningAgent(properties); AuditCapture audit = new AuditCapture()) {
            HttpResponse<String> logs = TokenAuthTest.get(agent, "/services/k3s/logs?lines=5", bearer);
            assertEquals(200, logs.statusCode());
            JsonNode allowed = audit.await(AuditCapture.path("/services/k3s/logs"));
            assertTrue(allowed.path("caller").asText().matches("token:[0-9a-f]{12}"), allowed.toString());
            assertEquals("allowed", allowed.path("access").asText());
            assertEquals("tcp", allowed.path("listener").asText());
            assertTrue(allowed.path("remote").asText().startsWith("127.0.0.1:"), allowed.toString());
            assertEquals("GET", allowed.path("method").asText());
            assertEquals("lines=5", allowed.path("query").asText());
            assertEquals(200, allowed.path("status").asInt());
            assertEquals(logs.body().getBytes(StandardCharsets.UTF_8).length, allowed.path("bytes").asLong());
            assertTrue(allowed.path("duration_ms").asDouble() > 0, allowed.toString());
            Instant.parse(allowed.path("time").asText());
            assertEquals("[[\"journalctl\",\"--unit=k3s.service\",\"--no-pager\",\"--output=short-iso\",\"--lines=5\"]]",
                    allowed.path("commands").toString());

            HttpResponse<String> anonymous = TokenAuthTest.get(agent, "/overview", null);
            JsonNode refused = audit.await(AuditCapture.path("/overview"));
            assertEquals("addr:127.0.0.1", refused.path("caller").asText());
            assertEquals("unauthorized", refused.path("access").asText());
            assertEquals(401, refused.path("status").asInt());
            assertEquals(anonymous.body().length(), refused.path("bytes").asLong());
            assertEquals(0, refused.path("commands").size(), "nothing ran for a refused call");

            TokenAuthTest.get(agent, "/services/k3s/status", "Bearer guessed-token-0123456789");
            JsonNode guessed = audit.await(AuditCapture.path("/services/k3s/status"));
            assertEquals("addr:127.0.0.1", guessed.path("caller").asText(), "a wrong token is no identity");
            assertEquals(401, guessed.path("status").asInt());

            TokenAuthTest.get(agent, "/overview", bearer);
            JsonNode overview = audit.await(entry -> "/overview".equals(entry.path("path").asText()) && entry.path("status").asInt() == 200);
            assertEquals(5, overview.path("commands").size(),
                    "one systemctl for the 7 units, the nvidia-smi table, the GPU field list, the GPU query and the kernel journal: " + overview);

            TokenAuthTest.get(agent, "/health", null);
            JsonNode health = audit.await(AuditCapture.path("/health"));
            assertEquals("open", health.path("access").asText());
            assertEquals(200, health.path("status").asInt());

            TokenAuthTest.get(agent, "/services?token=leaked-in-query-1234&x=1", bearer);
            JsonNode query = audit.await(AuditCapture.path("/services"));
            assertEquals("token=[REDACTED]&x=[REDACTED]", query.path("query").asText(), "a secret in a query is redacted");

            // A secret under a name no pattern knows, a bare one, and one in a path segment
            String secret = "s3cr3t-" + "q".repeat(100);
            audit.clear();
            TokenAuthTest.get(agent, "/services/k3s/logs?lines=5&key=" + secret + "&auth=" + secret + "&since_minutes=10&"
                    + secret + "&detail=true&gpu=0", bearer);
            JsonNode unknown = audit.await(AuditCapture.path("/services/k3s/logs"));
            assertEquals("lines=5&key=[REDACTED]&auth=[REDACTED]&since_minutes=10&[REDACTED]&detail=true&gpu=0",
                    unknown.path("query").asText(), "only the API's own parameters' values are written");
            TokenAuthTest.get(agent, "/services/" + secret + "/status", bearer);
            JsonNode segment = audit.await(entry -> entry.path("status").asInt() == 404);
            assertEquals("/services/" + secret.substring(0, 64) + ".../status", segment.path("path").asText(),
                    "a path segment is never written beyond 64 characters");
            for (String line : audit.lines()) {
                assertFalse(line.contains(secret.substring(0, 65)), line);
            }

            assertEquals(413, rawStatus(agent.port(), "GET /services/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
            JsonNode tooLong = audit.await(entry -> entry.path("status").asInt() == 413);
            assertEquals("not_checked", tooLong.path("access").asText(), "answered before any check");
            assertEquals("(malformed request)", tooLong.path("path").asText());

            List<String> lines = audit.lines();
            assertEquals(lines.size(), audit.entries().size(), "every line is one JSON object");
            for (String line : lines) {
                assertFalse(line.contains(TokenAuthTest.TOKEN), "the token in an audit line: " + line);
                assertFalse(line.contains("leaked-in-query-1234"), line);
            }
        }
    }

    @Test
    void unixSocketCallersAreTheirPeers() {
        Path socket = dir.resolve("status.sock");
        Map<String, Object> properties = new HashMap<>(new FakeBinaries(dir).properties());
        properties.put("status.uds-path", socket.toString());
        try (RunningAgent agent = new RunningAgent(properties); AuditCapture audit = new AuditCapture()) {
            assertEquals(200, Curl.get("--unix-socket", socket.toString(), "http://localhost/services").status());
            JsonNode entry = audit.await(AuditCapture.path("/services"));
            assertEquals("peer:root/root", entry.path("caller").asText());
            assertEquals("unix", entry.path("listener").asText());
            assertTrue(entry.path("remote").isNull());
        }
    }

    static int rawStatus(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12);
            return Integer.parseInt(new String(head, StandardCharsets.ISO_8859_1).substring(9, 12));
        }
    }
}
