package ai.chutes.status;

import static ai.chutes.status.JsonSchemas.assertValid;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The schemas in schemas/ accept the bodies the agent emits and reject broken ones. */
class JsonSchemasTest {

    private static final String SERVICE_OK = """
            {"service":{"id":"k3s","unit":"k3s.service","description":"Lightweight Kubernetes server"},\
            "status":{"load_state":"loaded","active_state":"active","sub_state":"running","unit_file_state":"enabled",\
            "main_pid":33,"exit_code":0,"exit_status":0,"n_restarts":0,"result":"success"},"healthy":true,"error":null}""";

    private static final String SERVICE_TIMED_OUT = """
            {"service":{"id":"system-manager","unit":"system-manager.service","description":"System manager"},\
            "status":null,"healthy":false,"error":{"error":"timeout",\
            "message":"systemctl did not finish within its timeout and was stopped",\
            "command":["systemctl","show","system-manager.service","--no-pager","--property=Id"],"timeout_seconds":10.0}}""";

    private static final String GPU_OK = """
            {"command":["nvidia-smi"],"exit_code":0,"stdout":"GPU 0: NVIDIA H100\\n","stdout_lines":["GPU 0: NVIDIA H100"],\
            "stderr":"","stdout_truncated":false,"stderr_truncated":false,"detail":false,"gpu":"all","status":"ok","error":null}""";

    private static final String GPU_MISSING = """
            {"command":["nvidia-smi","-q","-i","1"],"exit_code":null,"stdout":"","stdout_lines":[],"stderr":"",\
            "stdout_truncated":false,"stderr_truncated":false,"detail":true,"gpu":"1","status":"error",\
            "error":{"error":"missing_binary","message":"nvidia-smi is not installed or not executable on this host",\
            "command":["nvidia-smi","-q","-i","1"]}}""";

    private static String overview(String status, String timestamp, String gpu) {
        String reasons = status.equals("ok") ? "[]" : "[\"service system-manager is not healthy\"]";
        return "{\"status\":\"" + status + "\",\"reasons\":" + reasons + ",\"services\":[" + SERVICE_OK + "," + SERVICE_TIMED_OUT + "],\"gpu\":"
                + gpu + ",\"timestamp\":\"" + timestamp + "\"}";
    }

    @Test
    void acceptsEveryBodyTheAgentEmits() {
        assertValid("health.schema.json", "{\"status\":\"ok\"}");
        assertValid("services.schema.json", """
                {"services":[{"id":"k3s","unit":"k3s.service","description":"Lightweight Kubernetes server"},\
                {"id":"nvidia-fabricmanager","unit":"nvidia-fabricmanager.service","description":"NVIDIA fabric manager"}]}""");
        assertValid("service-status.schema.json", SERVICE_OK);
        assertValid("service-status.schema.json", SERVICE_TIMED_OUT);
        assertValid("service-status.schema.json", """
                {"service":{"id":"infiniband-config","unit":"infiniband-config.service","description":"InfiniBand configuration"},\
                "status":{"load_state":"not-found","active_state":"inactive","sub_state":"dead","unit_file_state":null,\
                "main_pid":0,"exit_code":0,"exit_status":0},"healthy":false,"error":null}""");
        assertValid("service-logs.schema.json", """
                {"service":{"id":"k3s","unit":"k3s.service"},"requested_lines":200,"since_minutes":null,"returned_lines":2,\
                "stdout_truncated":false,"logs":["2025-01-01T00:00:00+0000 host k3s[33]: started","2025-01-01T00:00:01+0000 host k3s[33]: ready"]}""");
        assertValid("service-logs.schema.json", """
                {"service":{"id":"k3s","unit":"k3s.service"},"requested_lines":1000,"since_minutes":1440,"returned_lines":0,\
                "stdout_truncated":true,"logs":[]}""");
        assertValid("nvidia-smi.schema.json", GPU_OK);
        assertValid("nvidia-smi.schema.json", GPU_MISSING);
        assertValid("overview.schema.json", overview("degraded", Instant.now().toString(), GPU_OK));
        assertValid("overview.schema.json", overview("degraded", "2025-01-01T00:00:00Z", GPU_MISSING));
        assertValid("error.schema.json", "{\"error\":\"not_found\",\"message\":\"no such path\"}");
        assertValid("error.schema.json", """
                {"error":"command_failed","message":"systemctl exited with status 1",\
                "command":["systemctl","show","k3s.service"],"exit_code":1}""");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // missing required field
        "service-status.schema.json|{\"service\":{\"id\":\"k3s\",\"unit\":\"k3s.service\",\"description\":\"x\"},\"status\":null,\"error\":null}",
        // extra field
        "health.schema.json|{\"status\":\"ok\",\"uptime\":3}",
        // out-of-range parameter echo
        "service-logs.schema.json|{\"service\":{\"id\":\"k3s\",\"unit\":\"k3s.service\"},\"requested_lines\":0,\"since_minutes\":null,\"returned_lines\":0,\"stdout_truncated\":false,\"logs\":[]}",
        // null context field: omitted, never null
        "error.schema.json|{\"error\":\"timeout\",\"message\":\"too slow\",\"command\":null}",
        // command of a program the agent never runs
        "error.schema.json|{\"error\":\"command_failed\",\"message\":\"sh failed\",\"command\":[\"sh\",\"-c\",\"x\"]}",
    })
    void rejectsBrokenBodies(String schemaAndBody) {
        String[] parts = schemaAndBody.split("\\|", 2);
        assertThrows(AssertionError.class, () -> assertValid(parts[0], parts[1]));
    }

    @Test
    void rejectsAnOkGpuReportThatCarriesAnError() {
        String okWithError = GPU_MISSING.replace("\"status\":\"error\"", "\"status\":\"ok\"");
        AssertionError failure = assertThrows(AssertionError.class, () -> assertValid("nvidia-smi.schema.json", okWithError));
        assertTrue(failure.getMessage().contains("error"), failure.getMessage());
    }

    private static final String H100_SAMPLE = """
            {"index":0,"uuid":"GPU-00000000-0000-0000-0000-000000000000","name":"NVIDIA H100 80GB HBM3",\
            "pci_bus_id":"00000000:00:09.0","driver_version":"590.48.01","vbios_version":"96.00.A5.00.01","compute_cap":"9.0",\
            "utilization_gpu_ratio":null,"utilization_memory_ratio":null,"memory_total_bytes":85520809984,\
            "memory_used_bytes":0,"memory_free_bytes":85019590656,"temperature_gpu_celsius":41.0,"power_draw_watts":69.85,\
            "enforced_power_limit_watts":700.0,"clocks_sm_hz":345000000,"clocks_memory_hz":2619000000,\
            "clocks_graphics_hz":345000000,"pstate":0,"ecc_errors_corrected_volatile_total":0,\
            "ecc_errors_uncorrected_volatile_total":0,"ecc_errors_corrected_aggregate_total":null,\
            "ecc_errors_uncorrected_aggregate_total":null,"temperature_memory_celsius":48.0,"remapped_rows_uncorrectable":0,\
            "remapped_rows_pending":false,"remapped_rows_failure":false,"retired_pages_pending":null,"gpu_recovery_action":"None",\
            "hw_thermal_slowdown":false,"sw_thermal_slowdown":false,"fabric_state":"Completed","protected_memory_total_bytes":0,\
            "protected_memory_used_bytes":0,"xid_errors":{"79":1},"xid_last_timestamp_seconds":1732990000.5}""";

    private static String withGpus(String overview, String gpus) {
        return overview.substring(0, overview.length() - 1) + ",\"gpus\":" + gpus + "}";
    }

    @Test
    void overviewGpusAreOptionalTypedSamples() {
        String overview = overview("degraded", "2025-01-01T00:00:00Z", GPU_OK);
        assertValid("gpu-sample.schema.json", H100_SAMPLE);
        assertValid("overview.schema.json", withGpus(overview, "[" + H100_SAMPLE + "," + H100_SAMPLE + "]"));
        assertValid("overview.schema.json", withGpus(overview, "[]"));
        assertValid("overview.schema.json", overview);
        assertThrows(AssertionError.class, () -> assertValid("overview.schema.json", withGpus(overview, "[{}]")));
        assertThrows(AssertionError.class, () -> assertValid("overview.schema.json", withGpus(overview, "null")));
        assertThrows(AssertionError.class, () -> assertValid("gpu-sample.schema.json",
                H100_SAMPLE.replace("\"utilization_gpu_ratio\":null", "\"utilization_gpu_ratio\":87")), "a percentage is not a ratio");
        assertThrows(AssertionError.class, () -> assertValid("gpu-sample.schema.json",
                H100_SAMPLE.replace("\"pstate\":0", "\"pstate\":\"P0\"")));
        assertThrows(AssertionError.class, () -> assertValid("gpu-sample.schema.json",
                H100_SAMPLE.replace("\"memory_used_bytes\":0", "\"memory_used_bytes\":1.5")));
        assertThrows(AssertionError.class, () -> assertValid("gpu-sample.schema.json",
                H100_SAMPLE.replace("\"index\":0,", "")));
    }

    @Test
    void rejectsABadTimestamp() {
        assertThrows(AssertionError.class,
                () -> assertValid("overview.schema.json", overview("degraded", "2025-13-01 25:00", GPU_OK)));
    }

    @Test
    void rejectsAnOkOverviewWithAnUnhealthyService() {
        assertThrows(AssertionError.class,
                () -> assertValid("overview.schema.json", overview("ok", "2025-01-01T00:00:00Z", GPU_OK)));
    }

    @Test
    void aDegradedOverviewSaysWhyAndAnOkOneHasNoReason() {
        String degraded = overview("degraded", "2025-01-01T00:00:00Z", GPU_OK);
        assertThrows(AssertionError.class, () -> assertValid("overview.schema.json",
                degraded.replace("[\"service system-manager is not healthy\"]", "[]")));
        assertThrows(AssertionError.class, () -> assertValid("overview.schema.json", degraded.replace("\"reasons\":[", "\"x\":[")));
    }

    @Test
    void listsEveryMessage() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> assertValid("health.schema.json", "{\"status\":\"down\",\"extra\":1}"));
        assertTrue(failure.getMessage().contains("status") && failure.getMessage().contains("extra"), failure.getMessage());
    }
}
