package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.RunningAgent;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many clients at once share one set of processes, and the overview runs its checks in parallel. */
class CoalescingTest {

    @TempDir
    Path dir;

    @Test
    void hundredConcurrentOverviewsRunEachCommandOnceAndFinishWithinOneSecond() {
        FakeBinaries fakes = new FakeBinaries(dir);
        fakes.systemctlPerUnit("sleep 0.3", "sed -e 1d -e '$d' '" + FakeBinaries.fixture("systemd/show-running.txt") + "'");
        fakes.script("nvidia-smi", "sleep 0.3; case \"$1\" in --query-gpu=*) cat '" + dir.resolve("gpu-query.csv") + "' ;; *) cat '"
                + FakeBinaries.fixture("nvidia-smi-table/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.txt") + "' ;; esac");
        try (RunningAgent agent = new RunningAgent(fakes.properties())) {
            for (int i = 0; i < 20; i++) {
                agent.get("/health"); // warm the server up without running any command
            }
            fakes.clearArgv();
            HttpRequest request = HttpRequest.newBuilder(agent.uri("/overview")).timeout(Duration.ofSeconds(10)).build();
            long started = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> replies = IntStream.range(0, 100)
                    .mapToObj(i -> agent.client().sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                    .toList();
            List<Integer> statuses = replies.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertTrue(statuses.stream().allMatch(status -> status == 200), statuses.toString());
            assertTrue(tookMs < 1000, "100 concurrent overviews took " + tookMs + " ms");
            Map<String, Long> runs = fakes.argv().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertEquals(5, runs.size(), "one systemctl for the 7 units, the nvidia-smi summary, the GPU field list,"
                    + " the GPU query and the kernel journal: " + runs.keySet());
            runs.forEach((argv, count) -> assertEquals(1L, count, argv));
        }
    }
}
