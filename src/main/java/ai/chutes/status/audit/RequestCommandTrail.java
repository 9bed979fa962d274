package ai.chutes.status.audit;

import ai.chutes.status.command.CommandRequest;
import ai.chutes.status.command.CommandTrail;
import io.micronaut.http.context.ServerRequestContext;
import jakarta.inject.Singleton;

/**
 * Adds each command a request asks for to that request's audit record. Controllers call the readers,
 * and the readers the runner, on the thread that serves the request, where Micronaut keeps the current
 * request; commands started elsewhere (the push timer, a metrics collection shared by scrapes) belong
 * to no request and are not listed.
 */
@Singleton
final class RequestCommandTrail implements CommandTrail {

    @Override
    public void asked(CommandRequest request) {
        ServerRequestContext.currentRequest()
                .flatMap(current -> current.getAttribute(AuditRecord.ATTRIBUTE, AuditRecord.class))
                .ifPresent(record -> record.addCommand(request.displayArgv()));
    }

    /** Binds the current request's audit record now, for a command asked later on another thread. */
    @Override
    public CommandTrail current() {
        return ServerRequestContext.currentRequest()
                .flatMap(current -> current.getAttribute(AuditRecord.ATTRIBUTE, AuditRecord.class))
                .<CommandTrail>map(record -> request -> record.addCommand(request.displayArgv()))
                .orElse(request -> { });
    }
}
