package ai.chutes.status.api;

import ai.chutes.status.overview.OverviewSnapshot;
import ai.chutes.status.overview.OverviewSnapshots;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.concurrent.CompletableFuture;

/** Serves the latest overview snapshot, already serialized; only its age is written per request. */
@Controller
final class OverviewController {

    private final OverviewSnapshots snapshots;

    OverviewController(OverviewSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    @Get("/overview")
    CompletableFuture<HttpResponse<byte[]>> overview() {
        return snapshots.read().thenApply(OverviewController::response);
    }

    private static HttpResponse<byte[]> response(OverviewSnapshot snapshot) {
        long now = System.nanoTime();
        return HttpResponse.ok(snapshot.jsonWithAge(now))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header("Age", Long.toString(snapshot.age(now).toSeconds()));
    }
}
