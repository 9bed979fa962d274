package ai.chutes.status.config;

import java.time.Duration;

/**
 * How often a scrape of {@code /metrics} may start commands: at most one set per {@code minInterval};
 * scrapes in between are answered from the last collection.
 */
public record MetricsSettings(Duration minInterval) {
}
