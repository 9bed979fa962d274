package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one overview snapshot, with real processes: systemctl blocks for 3 s while a flag file exists,
 * so a reader that waited for a command would show it.
 */
class OverviewSnapshotTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FakeBinaries slowWhileFlagged(Path flag) {
        return new FakeBinaries(dir).systemctlPerUnit("[ -e '" + flag + "' ] && sleep 3",
                "sed -e 1d -e '$d' '" + FakeBinaries.fixture("systemd/show-running.txt") + "'");
    }

    private RunningAgent start(FakeBinaries fakes, String ttl, String maxStaleness) {
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        properties.put("status.cache-ttl", ttl);
        properties.put("status.overview.max-staleness", maxStaleness);
        return new RunningAgent(properties);
    }

    @Test
    void twoHundredConcurrentOverviewsDuringARefreshNeverWaitForACommandOnceWarm() throws Exception {
        Path flag = dir.resolve("slow");
        FakeBinaries fakes = slowWhileFlagged(flag);
        try (RunningAgent agent = start(fakes, "500ms", "30s")) {
            assertEquals(200, agent.get("/overview").status()); // warm: the first snapshot
            Thread.sleep(600); // older than the TTL: the next reader starts a refresh
            Files.createFile(flag);
            fakes.clearArgv();

            HttpRequest request = HttpRequest.newBuilder(agent.uri("/overview")).timeout(Duration.ofSeconds(10)).build();
            long started = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> replies = IntStream.range(0, 200)
                    .mapToObj(i -> agent.client().sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                    .toList();
            List<HttpResponse<String>> answered = replies.stream().map(CompletableFuture::join).toList();
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertTrue(answered.stream().allMatch(reply -> reply.statusCode() == 200));
            assertTrue(tookMs < 2500, "200 overviews took " + tookMs + " ms; a wait for systemctl takes 3000 ms");
            for (HttpResponse<String> reply : answered) {
                double age = JSON.readTree(reply.body()).get("age_seconds").asDouble();
                assertTrue(age >= 0.5, "served from the stale snapshot, aged " + age + " s");
            }
            assertEquals(1, fakes.argv().stream().filter(argv -> argv.startsWith("systemctl ")).count(),
                    "one refresh for all readers: " + fakes.argv());
            assertTrue(fakes.argv().stream().anyMatch(argv -> argv.startsWith("systemctl show admission-controller.service"
                    + " system-manager.service attestation-service.service k3s.service nvidia-persistenced.service"
                    + " nvidia-fabricmanager.service infiniband-config.service --no-pager")), "one systemctl for every unit: " + fakes.argv());

            String staleStamp = JSON.readTree(answered.get(0).body()).get("timestamp").asText();
            Thread.sleep(3300); // the refresh has finished: the next answer is its snapshot
            Files.delete(flag);
            JsonNode fresh = JSON.readTree(agent.get("/overview").body());
            assertTrue(fresh.get("timestamp").asText().compareTo(staleStamp) > 0, staleStamp + " then " + fresh.get("timestamp"));
        }
    }

    @Test
    void aSnapshotOlderThanTheMaximumStalenessMakesTheReaderWait() throws Exception {
        Path flag = dir.resolve("slow");
        FakeBinaries fakes = slowWhileFlagged(flag);
        try (RunningAgent agent = start(fakes, "200ms", "400ms")) {
            agent.get("/overview");
            Thread.sleep(500);
            Files.createFile(flag);

            long started = System.nanoTime();
            RunningAgent.Reply reply = agent.get("/overview");
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertEquals(200, reply.status());
            assertTrue(tookMs >= 2900, "a snapshot past max-staleness is not served; answered after " + tookMs + " ms");
            JsonSchemas.assertValid("overview.schema.json", reply.body());
        }
    }

    @Test
    void nothingRunsWhileNobodyReadsAndTheBodySaysItsAge() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir);
        try (RunningAgent agent = start(fakes, "200ms", "30s")) {
            RunningAgent.Reply first = agent.get("/overview");
            JsonSchemas.assertValid("overview.schema.json", first.body());
            int ran = fakes.argv().size();
            assertEquals(5, ran, "one systemctl, the nvidia-smi summary, the GPU field list (once), the GPU query"
                    + " and the kernel journal: " + fakes.argv());

            Thread.sleep(1000);
            assertEquals(ran, fakes.argv().size(), "no reader, no push: nothing refreshes");

            JsonNode stale = JSON.readTree(agent.get("/overview").body());
            assertTrue(stale.get("age_seconds").asDouble() >= 1.0, "the stale snapshot is served and says so: " + stale);
        }
    }

    @Test
    void aRealFiveUnitCaptureGivesEachServiceItsOwnState() throws Exception {
        Path capture = Path.of("src/test/resources/systemd/show-multi.txt").toAbsolutePath();
        FakeBinaries fakes = new FakeBinaries(dir).script("systemctl", "sed -e 1d -e '$d' '" + capture + "'");
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        properties.put("status.cache-ttl", "0s");
        properties.put("status.services", List.of(
                Map.of("id", "ok", "unit", "demo-ok.service"),
                Map.of("id", "missing", "unit", "nosuch.service"),
                Map.of("id", "fail", "unit", "demo-fail.service"),
                Map.of("id", "masked", "unit", "demo-masked.service", "masked-ok", true),
                Map.of("id", "once", "unit", "demo-oneshot.service", "oneshot", true)));
        try (RunningAgent agent = new RunningAgent(properties)) {
            RunningAgent.Reply reply = agent.get("/overview");
            JsonSchemas.assertValid("overview.schema.json", reply.body());
            JsonNode services = JSON.readTree(reply.body()).get("services");

            assertEquals(List.of("ok", "missing", "fail", "masked", "once"),
                    IntStream.range(0, 5).mapToObj(i -> services.get(i).at("/service/id").asText()).toList());
            assertEquals(List.of(true, false, false, true, true),
                    IntStream.range(0, 5).mapToObj(i -> services.get(i).get("healthy").asBoolean()).toList());
            assertEquals(List.of("running", "dead", "failed", "dead", "exited"),
                    IntStream.range(0, 5).mapToObj(i -> services.get(i).at("/status/sub_state").asText()).toList());
            assertEquals("masked", services.get(3).at("/status/load_state").asText());
            assertEquals(1, fakes.argv().stream().filter(argv -> argv.startsWith("systemctl ")).count());
        }
    }
}
