package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More distinct commands than the runner's slots and queue hold: the surplus is refused at once with the
 * contract's 503 {@code busy} and a Retry-After, the rest are answered, and no library logs a stack trace
 * for a refusal (the runner logs one line of its own).
 */
class RunnerBusyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFullQueueRefusesTheSurplusWith503BusyAndLogsNoStackTrace() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir).script("journalctl", "sleep 0.02");
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        properties.put("status.max-concurrent-commands", 1);
        properties.put("status.cache-ttl", "0s");
        List<LogRecord> traces = new CopyOnWriteArrayList<>();
        Handler catcher = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getThrown() != null) {
                    traces.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(catcher);
        try (RunningAgent agent = new RunningAgent(properties)) {
            // One slot and a queue of 256: 300 distinct journal reads (each its own line count) overflow it.
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int lines = 1; lines <= 300; lines++) {
                HttpRequest request = HttpRequest.newBuilder(agent.uri("/services/k3s/logs?lines=" + lines))
                        .timeout(Duration.ofSeconds(60)).GET().build();
                replies.add(agent.client().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            int busy = 0;
            int served = 0;
            for (CompletableFuture<HttpResponse<String>> reply : replies) {
                HttpResponse<String> response = reply.join();
                if (response.statusCode() == 503) {
                    busy++;
                    JsonSchemas.assertValid("error.schema.json", response.body());
                    assertEquals("busy", JSON.readTree(response.body()).get("error").asText(), response.body());
                    assertEquals("1", response.headers().firstValue("retry-after").orElse(""));
                } else {
                    assertEquals(200, response.statusCode(), response.body());
                    served++;
                }
            }
            assertTrue(busy > 0, "no request was refused: " + served + " served");
            assertTrue(served >= 257, "the slot and the queue hold 257 commands; served " + served);
            assertEquals(200, agent.get("/services/k3s/logs?lines=7").status(), "the runner serves again once the queue drains");
        } finally {
            root.removeHandler(catcher);
        }
        assertEquals(List.of(), traces.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList(),
                "a refusal logged a stack trace");
    }
}
