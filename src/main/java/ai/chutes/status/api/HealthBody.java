package ai.chutes.status.api;

import io.micronaut.serde.annotation.Serdeable;

@Serdeable
record HealthBody(String status) {
}
