package ai.chutes.status.command;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code system_status_command_duration_seconds} and {@code system_status_command_runs_total}, labelled
 * with the program and how it ended. Every run passes the runner once, so it is counted here once.
 */
@Context
final class CommandRunMetrics implements CommandRunListener {

    /** Bucket bounds from a fast systemctl (ms) to nvidia-smi on a busy NVSwitch host (seconds) and the timeout. */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final Map<String, Counter> runs = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();

    CommandRunMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Every counter exists from the start, so a rate over a first failure is not lost.
        for (Program program : Program.values()) {
            for (Outcome outcome : Outcome.values()) {
                counter(program, outcome);
            }
        }
    }

    @Override
    public void finished(CommandResult result) {
        Program program = result.request().program();
        counter(program, result.outcome()).increment();
        timer(program, result.outcome()).record(result.duration());
    }

    private Counter counter(Program program, Outcome outcome) {
        return runs.computeIfAbsent(key(program, outcome), key -> Counter.builder("system.status.command.runs")
                .description("Commands run, by program and how they ended")
                .tag("command", program.displayName()).tag("outcome", outcome.label())
                .register(registry));
    }

    private Timer timer(Program program, Outcome outcome) {
        return durations.computeIfAbsent(key(program, outcome), key -> Timer.builder("system.status.command.duration")
                .description("How long commands took, by program and how they ended")
                .serviceLevelObjectives(BUCKETS)
                .tag("command", program.displayName()).tag("outcome", outcome.label())
                .register(registry));
    }

    private static String key(Program program, Outcome outcome) {
        return program.name() + "/" + outcome.name();
    }
}
