package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.GpuCapture;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.command.Commands;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint through real fake processes replaying captures, checked against values and schemas. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private FakeBinaries fakes;
    private RunningAgent agent;

    @BeforeAll
    void start() {
        fakes = new FakeBinaries(dir);
        Map<String, Object> properties = new java.util.HashMap<>(fakes.properties());
        properties.put("status.cache-ttl", "0s");
        agent = new RunningAgent(properties);
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    @BeforeEach
    void clearLog() {
        fakes.clearArgv();
    }

    @Test
    void healthAnswersOkWithoutRunningAnything() throws Exception {
        RunningAgent.Reply reply = agent.get("/health");
        assertEquals(200, reply.status());
        assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
        assertEquals("ok", JSON.readTree(reply.body()).get("status").asText());
        JsonSchemas.assertValid("health.schema.json", reply.body());
        assertEquals(List.of(), fakes.argv());
    }

    @Test
    void servicesListsTheDefaultAllowlistInOrder() throws Exception {
        RunningAgent.Reply reply = agent.get("/services");
        assertEquals(200, reply.status());
        JsonSchemas.assertValid("services.schema.json", reply.body());
        JsonNode services = JSON.readTree(reply.body()).get("services");
        assertEquals(7, services.size());
        assertEquals("admission-controller", services.get(0).get("id").asText());
        assertEquals("k3s.service", services.get(3).get("unit").asText());
        assertEquals("NVIDIA fabric manager", services.get(5).get("description").asText());
    }

    @Test
    void serviceStatusReportsWhatSystemctlShowSaid() throws Exception {
        RunningAgent.Reply reply = agent.get("/services/k3s/status");
        assertEquals(200, reply.status());
        JsonSchemas.assertValid("service-status.schema.json", reply.body());
        JsonNode body = JSON.readTree(reply.body());
        assertEquals("k3s", body.at("/service/id").asText());
        assertEquals("loaded", body.at("/status/load_state").asText());
        assertEquals("active", body.at("/status/active_state").asText());
        assertEquals("running", body.at("/status/sub_state").asText());
        assertEquals("enabled", body.at("/status/unit_file_state").asText());
        assertEquals(33, body.at("/status/main_pid").asInt());
        assertEquals(0, body.at("/status/exit_code").asInt());
        assertEquals(0, body.at("/status/exit_status").asInt());
        assertTrue(body.get("healthy").asBoolean());
        assertTrue(body.get("error").isNull());
        assertEquals(List.of("systemctl show k3s.service --no-pager --property=Id --property=LoadState"
                + " --property=ActiveState --property=SubState --property=MainPID --property=ExecMainStatus"
                + " --property=ExecMainCode --property=UnitFileState --property=NRestarts --property=Result"), fakes.argv());
    }

    @Test
    void failedUnitIsReportedUnhealthyWith200() throws Exception {
        fakes.replaySystemd("systemctl", "show-failed.txt");
        try {
            RunningAgent.Reply reply = agent.get("/services/attestation-service/status");
            assertEquals(200, reply.status());
            JsonNode body = JSON.readTree(reply.body());
            assertEquals("failed", body.at("/status/active_state").asText());
            assertEquals(1, body.at("/status/exit_status").asInt());
            assertEquals(false, body.get("healthy").asBoolean());
        } finally {
            fakes.replaySystemd("systemctl", "show-running.txt");
        }
    }

    @Test
    void logsReturnTheJournalLinesWithDefaults() throws Exception {
        RunningAgent.Reply reply = agent.get("/services/k3s/logs");
        assertEquals(200, reply.status());
        JsonSchemas.assertValid("service-logs.schema.json", reply.body());
        JsonNode body = JSON.readTree(reply.body());
        assertEquals("k3s", body.at("/service/id").asText());
        assertEquals("k3s.service", body.at("/service/unit").asText());
        assertEquals(200, body.get("requested_lines").asInt());
        assertEquals(5, body.get("returned_lines").asInt());
        assertEquals(false, body.get("stdout_truncated").asBoolean());
        assertEquals("2026-11-23T11:14:44+0000 testbox bash[33]: tick 25", body.get("logs").get(4).asText());
        assertEquals(List.of("journalctl --unit=k3s.service --no-pager --output=short-iso --lines=200"), fakes.argv());
    }

    @Test
    void outOfRangeLinesAreClampedNotRefused() throws Exception {
        RunningAgent.Reply zero = agent.get("/services/k3s/logs?lines=0");
        assertEquals(200, zero.status());
        assertEquals(1, JSON.readTree(zero.body()).get("returned_lines").asInt());
        assertEquals(1, JSON.readTree(zero.body()).get("requested_lines").asInt());
        RunningAgent.Reply huge = agent.get("/services/k3s/logs?lines=99999");
        assertEquals(200, huge.status());
        assertEquals(1000, JSON.readTree(huge.body()).get("requested_lines").asInt());
        assertEquals(List.of(
                "journalctl --unit=k3s.service --no-pager --output=short-iso --lines=1",
                "journalctl --unit=k3s.service --no-pager --output=short-iso --lines=1000"), fakes.argv());
    }

    @Test
    void sinceMinutesBecomesAnEpochSinceArgument() throws Exception {
        long before = Instant.now().getEpochSecond() - 3600;
        RunningAgent.Reply reply = agent.get("/services/k3s/logs?lines=5&since_minutes=60");
        long after = Instant.now().getEpochSecond() - 3600;
        assertEquals(200, reply.status());
        assertEquals(60, JSON.readTree(reply.body()).get("since_minutes").asInt());
        String argv = fakes.argv().get(0);
        assertTrue(argv.startsWith("journalctl --unit=k3s.service --no-pager --output=short-iso --lines=5 --since=@"), argv);
        long since = Long.parseLong(argv.substring(argv.indexOf('@') + 1));
        assertTrue(since >= before && since <= after, "since=@" + since + " not within [" + before + ", " + after + "]");
    }

    @Test
    void nvidiaSmiSummaryAndDetailForOneGpu() throws Exception {
        RunningAgent.Reply summary = agent.get("/gpu/nvidia-smi");
        assertEquals(200, summary.status());
        JsonSchemas.assertValid("nvidia-smi.schema.json", summary.body());
        JsonNode body = JSON.readTree(summary.body());
        assertEquals("ok", body.get("status").asText());
        assertEquals("all", body.get("gpu").asText());
        assertEquals(false, body.get("detail").asBoolean());
        assertEquals(0, body.get("exit_code").asInt());
        assertEquals(List.of("nvidia-smi"), List.of(JSON.convertValue(body.get("command"), String[].class)));
        assertTrue(body.get("stdout").asText().contains("H100 80GB HBM3"));
        assertEquals(body.get("stdout").asText().split("\n").length, body.get("stdout_lines").size());

        RunningAgent.Reply detail = agent.get("/gpu/nvidia-smi?detail=true&gpu=0");
        assertEquals(200, detail.status());
        JsonSchemas.assertValid("nvidia-smi.schema.json", detail.body());
        JsonNode detailBody = JSON.readTree(detail.body());
        assertEquals("0", detailBody.get("gpu").asText());
        assertTrue(detailBody.get("detail").asBoolean());
        assertTrue(detailBody.get("stdout").asText().contains("Product Name"));
        assertEquals(List.of("nvidia-smi", "nvidia-smi -q -i 0"), fakes.argv());
    }

    @Test
    void overviewIsOkWhenEverythingIsHealthy() throws Exception {
        RunningAgent.Reply reply = agent.get("/overview");
        assertEquals(200, reply.status());
        JsonSchemas.assertValid("overview.schema.json", reply.body());
        JsonNode body = JSON.readTree(reply.body());
        assertEquals("ok", body.get("status").asText());
        assertEquals(7, body.get("services").size());
        assertEquals("ok", body.at("/gpu/status").asText());
        Instant stamp = Instant.parse(body.get("timestamp").asText());
        assertTrue(Math.abs(stamp.getEpochSecond() - Instant.now().getEpochSecond()) < 60);
        assertEquals(5, fakes.argv().size(),
                "one systemctl for all units, the nvidia-smi summary, the field list (once), the GPU query, the kernel journal: " + fakes.argv());
        assertTrue(fakes.argv().contains("systemctl show admission-controller.service system-manager.service"
                + " attestation-service.service k3s.service nvidia-persistenced.service nvidia-fabricmanager.service"
                + " infiniband-config.service --no-pager --property=Id --property=LoadState --property=ActiveState"
                + " --property=SubState --property=MainPID --property=ExecMainStatus --property=ExecMainCode"
                + " --property=UnitFileState --property=NRestarts --property=Result"), fakes.argv().toString());
        assertTrue(fakes.argv().contains("nvidia-smi --help-query-gpu"), fakes.argv().toString());
        assertTrue(fakes.argv().contains("journalctl --dmesg --boot=0 --no-pager --output=short-unix --lines=2000"), fakes.argv().toString());
        String query = fakes.argv().stream().filter(argv -> argv.startsWith("nvidia-smi --query-gpu=")).findFirst().orElseThrow();
        assertTrue(query.endsWith(" --format=csv") && query.contains(",index,") && query.contains(",remapped_rows.pending,"), query);
        assertFalse(query.contains("kmd_version"), "a field this driver does not list is not asked for");
    }

    @Test
    void overviewCarriesTheTypedGpuSamples() throws Exception {
        JsonNode gpus = JSON.readTree(agent.get("/overview").body()).get("gpus");

        assertEquals(1, gpus.size());
        JsonNode gpu = gpus.get(0);
        assertEquals(0, gpu.get("index").asInt());
        assertEquals("GPU-00000000-0000-0000-0000-000000000000", gpu.get("uuid").asText());
        assertEquals("NVIDIA H100 80GB HBM3", gpu.get("name").asText());
        assertEquals("00000000:00:09.0", gpu.get("pci_bus_id").asText());
        assertEquals("9.0", gpu.get("compute_cap").asText());
        assertEquals(0.0, gpu.get("utilization_gpu_ratio").asDouble());
        assertEquals(81559L * 1024 * 1024, gpu.get("memory_total_bytes").asLong());
        assertTrue(gpu.get("memory_total_bytes").isIntegralNumber());
        assertEquals(41.0, gpu.get("temperature_gpu_celsius").asDouble());
        assertEquals(69.85, gpu.get("power_draw_watts").asDouble());
        assertEquals(700.0, gpu.get("enforced_power_limit_watts").asDouble());
        assertEquals(345_000_000L, gpu.get("clocks_sm_hz").asLong());
        assertEquals(0, gpu.get("pstate").asInt());
        assertEquals(0, gpu.get("ecc_errors_uncorrected_aggregate_total").asInt());
        assertEquals(36, gpu.size(), "every field of the sample, nulls included");
        assertEquals("ok", JSON.readTree(agent.get("/overview").body()).get("status").asText());
    }

    @Test
    void overviewGpuFieldsNvidiaSmiCannotReadAreNull(@TempDir Path own) throws Exception {
        // Its own agent: the driver (and so the field list, learnt once) differs from the H100's.
        FakeBinaries rtx = new FakeBinaries(own).replayGpus(GpuCapture.of(GpuCapture.RTX_2080, "idle"));
        try (RunningAgent other = new RunningAgent(rtx.properties())) {
            RunningAgent.Reply reply = other.get("/overview");
            JsonSchemas.assertValid("overview.schema.json", reply.body());
            JsonNode gpu = JSON.readTree(reply.body()).at("/gpus/0");
            assertEquals("NVIDIA GeForce RTX 2080 SUPER", gpu.get("name").asText());
            assertTrue(gpu.has("ecc_errors_corrected_volatile_total"));
            assertTrue(gpu.get("ecc_errors_corrected_volatile_total").isNull(), "ECC is N/A on this card: null, not 0");
            assertEquals(8, gpu.get("pstate").asInt());
        }
    }

    @Test
    void unknownPathsAndMethodsGetTheJsonErrorBody() throws Exception {
        for (String path : List.of("/", "/nope", "/services/k3s", "/services/k3s/status/extra", "/gpu",
                "/prometheus", "/env", "/beans", "/routes", "/loggers", "/info", "/metrics/jvm.memory.used", "/metrics/x")) {
            RunningAgent.Reply reply = agent.get(path);
            assertEquals(404, reply.status(), path);
            JsonSchemas.assertValid("error.schema.json", reply.body());
            assertEquals("not_found", JSON.readTree(reply.body()).get("error").asText(), path);
        }
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            RunningAgent.Reply reply = agent.send(HttpRequest.newBuilder(agent.uri("/overview"))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(405, reply.status(), method);
            JsonSchemas.assertValid("error.schema.json", reply.body());
            assertEquals("method_not_allowed", JSON.readTree(reply.body()).get("error").asText());
        }
        assertEquals(List.of(), fakes.argv());
    }
}
