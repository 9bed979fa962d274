package ai.chutes.status.api;

import ai.chutes.status.overview.Overview;
import ai.chutes.status.overview.OverviewService;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.concurrent.CompletableFuture;

@Controller
final class OverviewController {

    private final OverviewService overviews;

    OverviewController(OverviewService overviews) {
        this.overviews = overviews;
    }

    @Get("/overview")
    CompletableFuture<Overview> overview() {
        return overviews.overview();
    }
}
