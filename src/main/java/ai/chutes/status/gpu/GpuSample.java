package ai.chutes.status.gpu;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

/**
 * One GPU's readings from nvidia-smi, in base units (ratios 0-1, bytes, watts, hertz, degrees Celsius).
 * A field nvidia-smi could not give ({@code N/A}, {@code [Not Supported]}, {@code ERR!}, ...) is null:
 * never 0, so readers can tell "unknown" from "zero".
 */
@Serdeable(naming = SnakeCaseStrategy.class)
public record GpuSample(
        Integer index,
        String uuid,
        String name,
        String pciBusId,
        String driverVersion,
        String vbiosVersion,
        String computeCap,
        Double utilizationGpuRatio,
        Double utilizationMemoryRatio,
        Long memoryTotalBytes,
        Long memoryUsedBytes,
        Long memoryFreeBytes,
        Double temperatureGpuCelsius,
        Double powerDrawWatts,
        Double enforcedPowerLimitWatts,
        Long clocksSmHz,
        Long clocksMemoryHz,
        Long clocksGraphicsHz,
        Integer pstate,
        Long eccErrorsCorrectedVolatileTotal,
        Long eccErrorsUncorrectedVolatileTotal,
        Long eccErrorsCorrectedAggregateTotal,
        Long eccErrorsUncorrectedAggregateTotal) {
}
