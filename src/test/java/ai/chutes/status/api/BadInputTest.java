package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile or malformed input is refused with the error body before any process is considered. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private FakeBinaries fakes;
    private RunningAgent agent;

    @BeforeAll
    void start() {
        fakes = new FakeBinaries(dir);
        agent = new RunningAgent(fakes.properties());
    }

    @AfterAll
    void stop() {
        agent.close();
    }

    static Stream<Arguments> hostileRequests() {
        String longId = "a".repeat(10 * 1024);
        return Stream.of(
                Arguments.of("/gpu/nvidia-smi?gpu=x", 400, "bad_request"),
                Arguments.of("/gpu/nvidia-smi?gpu=-1", 400, "bad_request"),
                Arguments.of("/gpu/nvidia-smi?gpu=0;id", 400, "bad_request"),
                Arguments.of("/gpu/nvidia-smi?gpu=0%3Bid", 400, "bad_request"),
                Arguments.of("/gpu/nvidia-smi?gpu=99999999999999999999", 400, "bad_request"),
                Arguments.of("/gpu/nvidia-smi?gpu=%2B1", 400, "bad_request"),
                Arguments.of("/gpu/nvidia-smi?gpu=", 400, "bad_request"),
                Arguments.of("/gpu/nvidia-smi?detail=maybe", 400, "bad_request"),
                Arguments.of("/gpu/nvidia-smi?detail=true%20-q", 400, "bad_request"),
                Arguments.of("/services/k3s/logs?lines=abc", 400, "bad_request"),
                Arguments.of("/services/k3s/logs?lines=1.5", 400, "bad_request"),
                Arguments.of("/services/k3s/logs?lines=10%0A--since=x", 400, "bad_request"),
                Arguments.of("/services/k3s/logs?since_minutes=0", 400, "bad_request"),
                Arguments.of("/services/k3s/logs?since_minutes=1441", 400, "bad_request"),
                Arguments.of("/services/k3s/logs?since_minutes=-5", 400, "bad_request"),
                Arguments.of("/services/k3s/logs?since_minutes=abc", 400, "bad_request"),
                Arguments.of("/services/nosuch/status", 404, "unknown_service"),
                Arguments.of("/services/nosuch/logs", 404, "unknown_service"),
                Arguments.of("/services/K3S/status", 404, "unknown_service"),
                Arguments.of("/services/k3s.service/status", 404, "unknown_service"),
                Arguments.of("/services/..%2F..%2Fetc%2Fpasswd/status", 404, "unknown_service"),
                Arguments.of("/services/%2E%2E/status", 404, "unknown_service"),
                Arguments.of("/services/k3s%2F/status", 404, "unknown_service"),
                Arguments.of("/services/k3s%00/status", 404, "unknown_service"),
                Arguments.of("/services/k3s%00/logs?lines=5", 404, "unknown_service"),
                Arguments.of("/services/%C3%A9t%C3%A9/status", 404, "unknown_service"),
                Arguments.of("/services/%E2%80%AEk3s/status", 404, "unknown_service"),
                Arguments.of("/services/-k3s/status", 404, "unknown_service"),
                Arguments.of("/services/--help/logs", 404, "unknown_service"),
                Arguments.of("/services/" + longId + "/status", 404, "unknown_service"),
                Arguments.of("/services/" + longId + longId + "/status", 413, "request_too_large"));
    }

    @BeforeEach
    void clearLog() {
        fakes.clearArgv();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("hostileRequests")
    void refusedWithErrorBodyAndNoProcess(String pathAndQuery, int expectedStatus, String expectedError) throws Exception {
        RunningAgent.Reply reply = agent.get(pathAndQuery);
        assertEquals(expectedStatus, reply.status(), reply.body());
        JsonSchemas.assertValid("error.schema.json", reply.body());
        assertEquals(expectedError, JSON.readTree(reply.body()).get("error").asText());
        assertTrue(reply.body().length() < 200, "the error never echoes the request: " + reply.body().length());
        assertFalse(reply.body().contains("Exception") || reply.body().contains("/tmp") || reply.body().contains("\tat "),
                reply.body());
        assertEquals(List.of(), fakes.argv(), "no process may start for " + pathAndQuery);
    }

    @ParameterizedTest
    @MethodSource("hostileRequests")
    void agentStillServesAfterwards(String ignored) {
        assertEquals(200, agent.get("/health").status());
    }
}
