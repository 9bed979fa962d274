package ai.chutes.status.systemd;

import java.util.Set;

/**
 * Healthy = loaded, active and running/listening; plus the per-unit exceptions: a masked unit when
 * masked is fine, and a oneshot that finished ({@code active/exited}) with exit status 0.
 */
public final class HealthRule {

    private static final Set<String> SERVING_SUB_STATES = Set.of("running", "listening");

    private HealthRule() {
    }

    public static boolean healthy(ServiceEntry entry, UnitStatus status) {
        if (entry.maskedOk() && "masked".equals(status.loadState())) {
            return true;
        }
        if (!"loaded".equals(status.loadState()) || !"active".equals(status.activeState())) {
            return false;
        }
        if (SERVING_SUB_STATES.contains(status.subState())) {
            return true;
        }
        return entry.oneshot() && "exited".equals(status.subState())
                && status.exitStatus() != null && status.exitStatus() == 0;
    }
}
