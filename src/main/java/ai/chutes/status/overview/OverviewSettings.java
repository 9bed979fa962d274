package ai.chutes.status.overview;

import java.time.Duration;

/**
 * How the overview snapshot is reused. A snapshot younger than {@code ttl} is served as it is; an older
 * one starts one refresh and is still served at once while it is no older than {@code maxStaleness}
 * (stale-while-revalidate); older than that, readers wait for the refresh. A {@code ttl} of zero turns
 * reuse off: every reader waits for a refresh (shared with the one in flight).
 */
public record OverviewSettings(Duration ttl, Duration maxStaleness) {

    /** Whether a snapshot of this age may be served while a refresh runs. */
    boolean servable(Duration age) {
        return !ttl.isZero() && age.compareTo(maxStaleness) <= 0;
    }
}
