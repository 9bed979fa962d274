package ai.chutes.status.audit;

import ai.chutes.status.settings.TypedProperties;

/** @param enabled one audit line per request ({@code status.audit.enabled}, on by default) */
public record AuditSettings(boolean enabled) {

    public static AuditSettings read(TypedProperties properties) {
        return new AuditSettings(properties.bool("status.audit.enabled", true));
    }
}
