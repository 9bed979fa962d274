package ai.chutes.status.push;

import java.util.Locale;

/** The agent's lifecycle as the host sees it in {@code lifecycle} messages. */
public enum LifecycleState {
    BOOTING, READY, HEALTHY, DEGRADED, SHUTDOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
