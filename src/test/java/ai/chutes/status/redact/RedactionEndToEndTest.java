package ai.chutes.status.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The redactor sits in the readers, so every body built from journal lines or nvidia-smi output is
 * redacted: logs, the nvidia-smi body (stdout and stderr), and the overview, with the count in /metrics.
 */
class RedactionEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void bodiesCarryNoPlantedSecret() throws Exception {
        Map<String, Object> properties = new HashMap<>(PlantedSecrets.binaries(dir).properties());
        try (RunningAgent agent = new RunningAgent(properties)) {
            RunningAgent.Reply logs = agent.get("/services/k3s/logs?lines=20");
            assertEquals(200, logs.status(), logs.body());
            JsonSchemas.assertValid("service-logs.schema.json", logs.body());
            assertTrue(logs.body().contains("tick 21"), "ordinary lines stay: " + logs.body());
            assertTrue(logs.body().contains("token exchange with [REDACTED]"), logs.body());
            assertTrue(logs.body().contains("s3 key [REDACTED] rejected"), logs.body());

            RunningAgent.Reply gpu = agent.get("/gpu/nvidia-smi");
            JsonSchemas.assertValid("nvidia-smi.schema.json", gpu.body());
            assertTrue(gpu.body().contains("password=[REDACTED]"), gpu.body());
            assertTrue(gpu.body().contains("NVIDIA H100 80GB HBM3"), "the table itself stays");

            RunningAgent.Reply overview = agent.get("/overview");
            JsonSchemas.assertValid("overview.schema.json", overview.body());
            for (RunningAgent.Reply reply : List.of(logs, gpu, overview)) {
                for (String secret : List.of(PlantedSecrets.JWT, PlantedSecrets.AWS_KEY, PlantedSecrets.PASSWORD)) {
                    assertFalse(reply.body().contains(secret), secret + " leaked: " + reply.body());
                }
            }
            String metrics = agent.get("/metrics").body();
            assertTrue(metrics.contains("system_status_redactions_total{kind=\"jwt\"}"), metrics);
            assertFalse(metrics.contains("system_status_redactions_total{kind=\"jwt\"} 0.0"), "counted: " + metrics);
        }
    }
}
