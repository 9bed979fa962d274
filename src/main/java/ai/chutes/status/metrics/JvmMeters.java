package ai.chutes.status.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * The JVM's meters the agent serves ({@code jvm_memory_*}, {@code jvm_buffer_*}, {@code jvm_threads_*},
 * {@code jvm_classes_*}): Micrometer's binders that read their values when scraped; Micronaut binds every
 * such bean to the registry. In place of Micronaut's own set (switched off in micronaut.properties), which
 * adds {@code JvmGcMetrics}: its listener parses a JMX notification after every collection, and under a
 * {@code /health} load (dozens of young collections a second in the role's small heap) that cost ~15 % of
 * the rate and ~3.5 MiB of RSS (docs/jit-flags.md). So there are no {@code jvm_gc_*} series.
 */
@Factory
final class JvmMeters {

    @Singleton
    JvmMemoryMetrics memory() {
        return new JvmMemoryMetrics();
    }

    @Singleton
    JvmThreadMetrics threads() {
        return new JvmThreadMetrics();
    }

    @Singleton
    ClassLoaderMetrics classes() {
        return new ClassLoaderMetrics();
    }
}
