package ai.chutes.status.api;

import ai.chutes.status.ErrorReply;
import ai.chutes.status.systemd.JournalReader;
import ai.chutes.status.systemd.ServiceAllowlist;
import ai.chutes.status.systemd.ServiceEntry;
import ai.chutes.status.systemd.ServiceRef;
import ai.chutes.status.systemd.UnitStatusReader;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import java.util.concurrent.CompletableFuture;

/** Liveness, the allowlist, and per-service status and logs. Translates HTTP to reader calls only. */
@Controller
final class StatusController {

    private final ServiceAllowlist allowlist;
    private final UnitStatusReader units;
    private final JournalReader journal;

    StatusController(ServiceAllowlist allowlist, UnitStatusReader units, JournalReader journal) {
        this.allowlist = allowlist;
        this.units = units;
        this.journal = journal;
    }

    @Get("/health")
    HealthBody health() {
        return new HealthBody("ok");
    }

    @Get("/services")
    ServiceList services() {
        return new ServiceList(allowlist.entries().stream().map(ServiceRef::of).toList());
    }

    @Get("/services/{id}/status")
    CompletableFuture<HttpResponse<?>> status(@PathVariable String id) {
        return units.check(lookup(id)).thenApply(check -> ErrorReply.answer(check.checked()));
    }

    @Get("/services/{id}/logs")
    CompletableFuture<HttpResponse<?>> logs(@PathVariable String id,
                                    @Nullable @QueryValue("lines") String lines,
                                    @Nullable @QueryValue("since_minutes") String sinceMinutes) {
        ServiceEntry entry = lookup(id);
        return journal.tail(entry, QueryParameters.lines(lines), QueryParameters.sinceMinutes(sinceMinutes))
                .thenApply(ErrorReply::answer);
    }

    private ServiceEntry lookup(String id) {
        return allowlist.find(id).orElseThrow(UnknownServiceException::new);
    }
}
