package ai.chutes.status.metrics;

import static ai.chutes.status.settings.TypedProperties.invalid;

import ai.chutes.status.settings.TypedProperties;
import java.time.Duration;

/**
 * How often a scrape of {@code /metrics} may start commands: at most one set per {@code minInterval};
 * scrapes in between are answered from the last collection.
 */
public record MetricsSettings(Duration minInterval) {

    /** {@code status.metrics.min-interval}: 0s to 1h, 10s by default. */
    public static MetricsSettings read(TypedProperties properties) {
        Duration minInterval = properties.duration("status.metrics.min-interval", Duration.ofSeconds(10));
        if (minInterval.isNegative() || minInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw invalid("status.metrics.min-interval must be between 0s and 1h, got " + minInterval);
        }
        return new MetricsSettings(minInterval);
    }
}
