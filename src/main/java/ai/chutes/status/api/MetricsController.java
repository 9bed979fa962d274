package ai.chutes.status.api;

import ai.chutes.status.metrics.MetricsExposition;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.concurrent.CompletableFuture;

/** Prometheus scrapes: refreshes what the interval allows (waiting briefly at most), then writes every meter. */
@Controller
final class MetricsController {

    private static final MediaType TEXT_FORMAT = MediaType.of(MetricsExposition.CONTENT_TYPE);

    private final MetricsExposition exposition;

    MetricsController(MetricsExposition exposition) {
        this.exposition = exposition;
    }

    @Get("/metrics")
    CompletableFuture<HttpResponse<String>> metrics() {
        return exposition.refresh().thenApply(ignored -> HttpResponse.ok(exposition.scrape()).contentType(TEXT_FORMAT));
    }
}
