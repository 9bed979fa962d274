package ai.chutes.status.api;

import ai.chutes.status.systemd.ServiceRef;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

@Serdeable
record ServiceList(List<ServiceRef> services) {
}
