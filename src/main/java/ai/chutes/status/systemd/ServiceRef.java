package ai.chutes.status.systemd;

import io.micronaut.serde.annotation.Serdeable;

/** How an allowlisted service is named in response bodies. */
@Serdeable
public record ServiceRef(String id, String unit, String description) {

    public static ServiceRef of(ServiceEntry entry) {
        return new ServiceRef(entry.id(), entry.unit(), entry.description());
    }
}
