package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.Processes;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that fail, hang, flood or are missing: the status codes and flags of the contract. */
class CommandFailureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void nonZeroExitsMapTo502ForSystemdAnd200ErrorForNvidiaSmi() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir)
                .script("systemctl", "echo 'Failed to connect to bus: /run/secret/path' >&2; exit 1")
                .script("journalctl", "echo 'journal is broken at /var/log/journal' >&2; exit 2")
                .script("nvidia-smi", "echo 'NVIDIA-SMI has failed because it couldn''t communicate with the NVIDIA driver.'; exit 9");
        try (RunningAgent agent = RunningAgent.uncached(fakes, "5s")) {
            RunningAgent.Reply status = agent.get("/services/k3s/status");
            assertEquals(502, status.status());
            JsonSchemas.assertValid("error.schema.json", status.body());
            JsonNode error = JSON.readTree(status.body());
            assertEquals("command_failed", error.get("error").asText());
            assertEquals(1, error.get("exit_code").asInt());
            assertFalse(status.body().contains("/run/secret") || status.body().contains("bus"), "stderr leaked: " + status.body());

            RunningAgent.Reply logs = agent.get("/services/k3s/logs");
            assertEquals(502, logs.status());
            assertEquals(2, JSON.readTree(logs.body()).get("exit_code").asInt());
            assertFalse(logs.body().contains("/var/log"), "stderr leaked: " + logs.body());

            RunningAgent.Reply gpu = agent.get("/gpu/nvidia-smi");
            assertEquals(200, gpu.status());
            JsonSchemas.assertValid("nvidia-smi.schema.json", gpu.body());
            JsonNode body = JSON.readTree(gpu.body());
            assertEquals("error", body.get("status").asText());
            assertEquals(9, body.get("exit_code").asInt());
            assertTrue(body.get("stdout").asText().contains("NVIDIA-SMI has failed"));

            RunningAgent.Reply overview = agent.get("/overview");
            assertEquals(200, overview.status());
            JsonSchemas.assertValid("overview.schema.json", overview.body());
            JsonNode summary = JSON.readTree(overview.body());
            assertEquals("degraded", summary.get("status").asText());
            for (JsonNode service : summary.get("services")) {
                assertEquals("command_failed", service.at("/error/error").asText());
                assertTrue(service.get("status").isNull());
                assertFalse(service.get("healthy").asBoolean());
            }
            assertEquals("error", summary.at("/gpu/status").asText());
            assertEquals(0, summary.get("gpus").size(), "the query exited (9) and printed no GPU line");
        }
    }

    @Test
    void missingBinariesAre503AndDegradeTheOverview() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir).missing("systemctl").missing("journalctl").missing("nvidia-smi");
        try (RunningAgent agent = RunningAgent.uncached(fakes, "5s")) {
            for (String path : new String[] {"/services/k3s/status", "/services/k3s/logs", "/gpu/nvidia-smi"}) {
                RunningAgent.Reply reply = agent.get(path);
                assertEquals(503, reply.status(), path);
                JsonSchemas.assertValid("error.schema.json", reply.body());
                assertEquals("missing_binary", JSON.readTree(reply.body()).get("error").asText());
                assertFalse(reply.body().contains(dir.toString()), "host path leaked: " + reply.body());
            }
            RunningAgent.Reply overview = agent.get("/overview");
            assertEquals(200, overview.status());
            JsonSchemas.assertValid("overview.schema.json", overview.body());
            JsonNode summary = JSON.readTree(overview.body());
            assertEquals("degraded", summary.get("status").asText());
            assertEquals("missing_binary", summary.at("/gpu/error/error").asText());
            assertEquals("missing_binary", summary.at("/services/0/error/error").asText());
            assertFalse(summary.has("gpus"), "no GPU query ran, so no samples: " + overview.body());
        }
    }

    @Test
    void hangingCommandIsKilledWithItsChildrenAndAnswers504() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir);
        for (String name : new String[] {"systemctl", "nvidia-smi"}) {
            fakes.script(name, """
                    trap '' TERM
                    sleep 60 &
                    echo $! >> '%1$s/children.pid'
                    echo $$ >> '%1$s/parents.pid'
                    sleep 60""".formatted(dir));
        }
        try (RunningAgent agent = RunningAgent.uncached(fakes, "1s")) {
            long started = System.nanoTime();
            RunningAgent.Reply status = agent.get("/services/k3s/status");
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(504, status.status());
            JsonSchemas.assertValid("error.schema.json", status.body());
            JsonNode error = JSON.readTree(status.body());
            assertEquals("timeout", error.get("error").asText());
            assertEquals(1.0, error.get("timeout_seconds").asDouble());
            assertTrue(tookMs < 4000, "answered after " + tookMs + " ms");

            RunningAgent.Reply gpu = agent.get("/gpu/nvidia-smi");
            assertEquals(504, gpu.status());
            assertEquals("timeout", JSON.readTree(gpu.body()).get("error").asText());
        }
        for (String file : new String[] {"children.pid", "parents.pid"}) {
            for (String pid : Files.readAllLines(dir.resolve(file))) {
                assertFalse(Processes.running(Long.parseLong(pid.trim())), file + " " + pid + " still runs");
            }
        }
    }

    @Test
    void floodingCommandIsCappedAndStillAnswers() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir)
                .script("nvidia-smi", "head -c 50000000 /dev/zero | tr '\\0' 'x'")
                .script("journalctl", "yes '2026-11-23T11:14:44+0000 testbox bash[33]: tick é€' | head -n 900000");
        try (RunningAgent agent = RunningAgent.uncached(fakes, "20s")) {
            RunningAgent.Reply gpu = agent.get("/gpu/nvidia-smi");
            assertEquals(200, gpu.status());
            JsonSchemas.assertValid("nvidia-smi.schema.json", gpu.body());
            JsonNode body = JSON.readTree(gpu.body());
            assertTrue(body.get("stdout_truncated").asBoolean());
            assertFalse(body.get("stderr_truncated").asBoolean());
            assertEquals(16 * 1024, body.get("stdout").asText().getBytes(StandardCharsets.UTF_8).length);

            RunningAgent.Reply logs = agent.get("/services/k3s/logs?lines=1000");
            assertEquals(200, logs.status());
            JsonNode page = JSON.readTree(logs.body());
            assertTrue(page.get("stdout_truncated").asBoolean());
            int returned = page.get("returned_lines").asInt();
            assertTrue(returned > 100 && returned < 1000, "lines kept from a 16 KiB tail: " + returned);
            for (JsonNode line : page.get("logs")) {
                assertEquals("2026-11-23T11:14:44+0000 testbox bash[33]: tick é€", line.asText(), "every kept line is whole");
            }
        }
    }
}
