package ai.chutes.status.systemd;

import io.micronaut.serde.annotation.Serdeable;

/** The short service reference used in log pages. */
@Serdeable
public record UnitRef(String id, String unit) {
}
