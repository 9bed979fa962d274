package ai.chutes.status.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one metric family of Prometheus client_java snapshots, point by point. Families are written
 * as snapshots, not Micrometer meters, because client_java strips reserved suffixes from gauge names:
 * only an info snapshot prints as {@code <name>_info} and only a counter snapshot prints with
 * {@code _total}, so those families are named here without the suffix the exposition adds.
 */
public final class Snapshots {

    private final String name;
    private final String help;
    private final boolean counter;
    private final List<Point> points = new ArrayList<>();

    private Snapshots(String name, String help, boolean counter) {
        this.name = name;
        this.help = help;
        this.counter = counter;
    }

    public static Snapshots gauge(String name, String help) {
        return new Snapshots(name, help, false);
    }

    /** A counter named without {@code _total}; the exposition appends it. */
    public static Snapshots counter(String nameWithoutTotal, String help) {
        return new Snapshots(nameWithoutTotal, help, true);
    }

    /** Adds a point unless the value is unknown: an unknown reading is left out, never written as 0. */
    public Snapshots point(Number value, String... labelNamesAndValues) {
        if (value != null) {
            points.add(new Point(Labels.of(labelNamesAndValues), value.doubleValue()));
        }
        return this;
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    public MetricSnapshot build() {
        if (counter) {
            CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
            points.forEach(point -> builder.dataPoint(CounterDataPointSnapshot.builder().labels(point.labels()).value(point.value()).build()));
            return builder.build();
        }
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
        points.forEach(point -> builder.dataPoint(GaugeDataPointSnapshot.builder().labels(point.labels()).value(point.value()).build()));
        return builder.build();
    }

    private record Point(Labels labels, double value) {
    }
}
