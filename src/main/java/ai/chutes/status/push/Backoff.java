package ai.chutes.status.push;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: exponential from {@code initial}, capped at {@code max}, each drawn uniformly from
 * the upper half of its step ("equal jitter"), so many guests restarted together do not redial in step.
 */
record Backoff(Duration initial, Duration max) {

    private static final int MAX_DOUBLINGS = 30;

    Duration delay(int failedAttempts) {
        long step = initial.toMillis() << Math.min(Math.max(failedAttempts, 0), MAX_DOUBLINGS);
        long capped = step <= 0 ? max.toMillis() : Math.min(step, max.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
    }
}
