/**
 * The shared machinery of {@code /metrics}: the exposition, the scrape-time collections, the snapshot
 * builder, the lint filter and {@code status.metrics.*}. The meters themselves live with the state
 * they measure ({@code command/}, {@code gpu/}, {@code systemd/}, {@code overview/}, {@code push/}),
 * which depend on this package, never the reverse.
 *
 * <p>Meters are registered one way: each subsystem's meters are one eager bean ({@code @Context}) of
 * its own package that registers itself, when it is made, on the registry it is given: Micrometer
 * meters (counters, timers, gauges read from the subsystem's own counters) on the {@code MeterRegistry},
 * and the families whose exact names only client_java snapshots print ({@code *_info}, dynamic
 * {@code *_total}; see {@link ai.chutes.status.metrics.Snapshots}) as a {@code MultiCollector} on the
 * Prometheus registry beneath it. A scrape-time collection is a
 * {@link ai.chutes.status.metrics.ThrottledCollection} bean, found by type.
 */
package ai.chutes.status.metrics;
