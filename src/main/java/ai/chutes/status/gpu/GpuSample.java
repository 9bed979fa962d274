package ai.chutes.status.gpu;

import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.Map;

/**
 * One GPU's typed readings, in base units (ratios 0-1, bytes, watts, hertz, degrees Celsius). Each
 * component's JSON name is the one the GPU field table gives its {@code --query-gpu} field, and
 * {@link GpuSamples} fills it from there (a test checks table, record and schema agree). A field the
 * driver does not know or could not give ({@code [N/A]}, {@code [Not Supported]}, ...) is null: never 0.
 * {@code xidErrors} (XID number to count, this boot) and {@code xidLastTimestampSeconds} come from the
 * kernel journal, not from nvidia-smi.
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
        Double temperatureMemoryCelsius,
        Double powerDrawWatts,
        Double enforcedPowerLimitWatts,
        Long clocksSmHz,
        Long clocksMemoryHz,
        Long clocksGraphicsHz,
        Integer pstate,
        Long eccErrorsCorrectedVolatileTotal,
        Long eccErrorsUncorrectedVolatileTotal,
        Long eccErrorsCorrectedAggregateTotal,
        Long eccErrorsUncorrectedAggregateTotal,
        Long remappedRowsUncorrectable,
        Boolean remappedRowsPending,
        Boolean remappedRowsFailure,
        Boolean retiredPagesPending,
        String gpuRecoveryAction,
        Boolean hwThermalSlowdown,
        Boolean swThermalSlowdown,
        String fabricState,
        Long protectedMemoryTotalBytes,
        Long protectedMemoryUsedBytes,
        Map<String, Long> xidErrors,
        Double xidLastTimestampSeconds) {
}
