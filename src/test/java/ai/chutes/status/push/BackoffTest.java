package ai.chutes.status.push;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleWithJitterInTheUpperHalfAndStayCapped() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        for (int attempt = 0; attempt < 100; attempt++) {
            long step = Math.min(100L << Math.min(attempt, 30), 5000);
            Set<Long> seen = new HashSet<>();
            for (int draw = 0; draw < 200; draw++) {
                long delay = backoff.delay(attempt).toMillis();
                assertTrue(delay >= step / 2 && delay <= step, "attempt " + attempt + ": " + delay + " outside [" + step / 2 + ", " + step + "]");
                seen.add(delay);
            }
            assertTrue(seen.size() > 1, "no jitter at attempt " + attempt);
        }
        long farOut = backoff.delay(Integer.MAX_VALUE).toMillis();
        assertTrue(farOut >= 2500 && farOut <= 5000, "huge attempt counts stay capped: " + farOut);
    }
}
