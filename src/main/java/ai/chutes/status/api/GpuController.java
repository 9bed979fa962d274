package ai.chutes.status.api;

import ai.chutes.status.ErrorReply;
import ai.chutes.status.gpu.NvidiaSmiReader;
import ai.chutes.status.gpu.NvidiaSmiReport;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import java.util.concurrent.CompletableFuture;

/**
 * nvidia-smi output. A non-zero exit is still a 200 with {@code status: error} (the output often says
 * why); a timeout or a missing binary has no output to show and is an HTTP error
 * ({@link NvidiaSmiReport#checked()}).
 */
@Controller
final class GpuController {

    private final NvidiaSmiReader reader;

    GpuController(NvidiaSmiReader reader) {
        this.reader = reader;
    }

    @Get("/gpu/nvidia-smi")
    CompletableFuture<HttpResponse<?>> nvidiaSmi(@Nullable @QueryValue("detail") String detail,
                                                 @Nullable @QueryValue("gpu") String gpu) {
        return reader.report(QueryParameters.detail(detail), QueryParameters.gpu(gpu))
                .thenApply(report -> ErrorReply.answer(report.checked()));
    }
}
