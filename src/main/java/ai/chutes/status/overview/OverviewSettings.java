package ai.chutes.status.overview;

import static ai.chutes.status.settings.TypedProperties.invalid;

import ai.chutes.status.settings.TypedProperties;
import java.time.Duration;

/**
 * How the overview snapshot is reused. A snapshot younger than {@code ttl} is served as it is; an older
 * one starts one refresh and is still served at once while it is no older than {@code maxStaleness}
 * (stale-while-revalidate); older than that, readers wait for the refresh. A {@code ttl} of zero turns
 * reuse off: every reader waits for a refresh (shared with the one in flight).
 */
public record OverviewSettings(Duration ttl, Duration maxStaleness) {

    /**
     * {@code status.cache-ttl} (the runner's TTL, 2s by default; the runner checks its own bounds) and
     * {@code status.overview.max-staleness}: from the TTL up to 1h, 30s by default.
     */
    public static OverviewSettings read(TypedProperties properties) {
        Duration ttl = properties.duration("status.cache-ttl", Duration.ofSeconds(2));
        Duration maxStaleness = properties.duration("status.overview.max-staleness", Duration.ofSeconds(30));
        if (maxStaleness.compareTo(ttl) < 0 || maxStaleness.compareTo(Duration.ofHours(1)) > 0) {
            throw invalid("status.overview.max-staleness must be between status.cache-ttl and 1h, got " + maxStaleness);
        }
        return new OverviewSettings(ttl, maxStaleness);
    }

    /** Whether a snapshot of this age may be served while a refresh runs. */
    boolean servable(Duration age) {
        return !ttl.isZero() && age.compareTo(maxStaleness) <= 0;
    }
}
