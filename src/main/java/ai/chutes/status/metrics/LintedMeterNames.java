package ai.chutes.status.metrics;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Drops the two standard Micrometer meters whose Prometheus names {@code promtool check metrics}
 * rejects ({@code process_cpu_time_ns_total}: an abbreviated unit; {@code system_cpu_count}: a
 * {@code _count} suffix on a gauge), so that a scrape lints clean. {@code process_cpu_usage} and the
 * load average remain.
 */
@Factory
final class LintedMeterNames {

    private static final Set<String> REJECTED = Set.of("process.cpu.time", "system.cpu.count");

    @Singleton
    MeterFilter dropNamesPromtoolRejects() {
        return MeterFilter.deny(id -> REJECTED.contains(id.getName()));
    }
}
