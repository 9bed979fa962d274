package ai.chutes.status.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.Fixtures;
import ai.chutes.status.GpuQueryCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code nvidia-smi -q} text parser over every capture, with values checked for H100, MIG and 8-GPU machines. */
class GpuDetailParserTest {

    private static final long MIB = 1024L * 1024L;
    private static final Pattern ATTACHED = Pattern.compile("(?m)^Attached GPUs\\s+: (\\d+)$");

    static Stream<String> detailCaptures() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.dir("nvidia-smi-q"))) {
            List<String> names = files.map(file -> "nvidia-smi-q/" + file.getFileName()).sorted().toList();
            assertEquals(18, names.size(), "the shared -q captures: " + names);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("detailCaptures")
    void everyCaptureGivesAsManyGpusAsItAttaches(String fixture) {
        String text = Fixtures.read(fixture);
        Matcher attached = ATTACHED.matcher(text);
        assertTrue(attached.find(), "no 'Attached GPUs' line in " + fixture);

        List<GpuSample> gpus = GpuDetailParser.parse(text);

        assertEquals(Integer.parseInt(attached.group(1)), gpus.size());
        for (int i = 0; i < gpus.size(); i++) {
            GpuSample gpu = gpus.get(i);
            assertEquals(i, gpu.index());
            assertTrue(gpu.uuid().startsWith("GPU-"), gpu.uuid());
            assertTrue(gpu.name().startsWith("NVIDIA ") || gpu.name().startsWith("TITAN"), gpu.name());
            assertTrue(gpu.pciBusId().matches("0000[0-9A-F]{4}:[0-9A-F]{2}:[0-9A-F]{2}\\.0"), gpu.pciBusId());
            assertNotNull(gpu.driverVersion());
            assertNotNull(gpu.vbiosVersion());
            assertNull(gpu.computeCap(), "-q does not print it");
            assertTrue(gpu.memoryTotalBytes() > 0);
            assertTrue(gpu.temperatureGpuCelsius() > 20 && gpu.temperatureGpuCelsius() < 90);
            assertTrue(gpu.powerDrawWatts() > 10 && gpu.powerDrawWatts() <= gpu.enforcedPowerLimitWatts());
            assertTrue(gpu.clocksSmHz() > 0 && gpu.clocksMemoryHz() > 0 && gpu.clocksGraphicsHz() > 0);
            assertNotNull(gpu.pstate());
        }
    }

    @Test
    void h100IdleValues() {
        GpuSample gpu = GpuDetailParser.parse(Fixtures.read("nvidia-smi-q/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.q.txt")).get(0);

        assertEquals(new GpuSample(0, "GPU-00000000-0000-0000-0000-000000000000", "NVIDIA H100 80GB HBM3",
                "00000000:00:09.0", "590.48.01", "96.00.A5.00.01", null, 0.0, 0.0,
                81559 * MIB, 0L, 81081 * MIB, 41.0, 69.85, 700.0,
                345_000_000L, 2_619_000_000L, 345_000_000L, 0, 0L, 0L, 0L, 0L), gpu);
    }

    @Test
    void migDeviceSectionsDoNotLeakIntoTheGpu() {
        List<GpuSample> gpus = GpuDetailParser.parse(Fixtures.read("nvidia-smi-q/linux-x86_64__nvidia-h100-mig__590.48.01__load.q.txt"));

        assertEquals(1, gpus.size(), "four MIG devices are parts of one GPU");
        assertEquals(new GpuSample(0, "GPU-00000000-0000-0000-0000-000000000000", "NVIDIA H100 80GB HBM3",
                "00000000:00:09.0", "590.48.01", "96.00.A5.00.01", null, null, null,
                81559 * MIB, 11125 * MIB, 69956 * MIB, 53.0, 432.21, 700.0,
                1_980_000_000L, 2_619_000_000L, 1_980_000_000L, 0, 0L, 0L, 0L, 0L), gpus.get(0));
    }

    @Test
    void eightH100sInIndexOrderWithTheirOwnValues() {
        List<GpuSample> gpus = GpuDetailParser.parse(Fixtures.read("nvidia-smi-q/nvidia-smi-query.535.183.01.out.0.valid"));

        assertEquals(8, gpus.size());
        assertEquals(List.of("00000000:53:00.0", "00000000:64:00.0", "00000000:75:00.0", "00000000:86:00.0",
                "00000000:97:00.0", "00000000:A8:00.0", "00000000:B9:00.0", "00000000:CA:00.0"),
                gpus.stream().map(GpuSample::pciBusId).toList());
        assertEquals(new GpuSample(0, "GPU-566e6f65-c38e-b12f-4824-6944218668b9", "NVIDIA H100 80GB HBM3",
                "00000000:53:00.0", "535.183.01", "96.00.74.00.01", null, 0.0, 0.0,
                81559 * MIB, 0L, 81007 * MIB, 36.0, 71.97, 700.0,
                345_000_000L, 2_619_000_000L, 345_000_000L, 0, 0L, 0L, 0L, 0L), gpus.get(0));
        assertEquals("GPU-7e78e6c8-c71c-66c7-9ded-f8836cecab32", gpus.get(7).uuid());
        assertEquals(35.0, gpus.get(7).temperatureGpuCelsius());
        assertEquals(74.76, gpus.get(7).powerDrawWatts());
        assertEquals(8, gpus.stream().map(GpuSample::uuid).distinct().count());
    }

    @Test
    void eightRtx4090sKeepTheirOwnPstatesAndHaveNoEcc() {
        List<GpuSample> gpus = GpuDetailParser.parse(Fixtures.read("nvidia-smi-q/nvidia-smi-query.535.154.05.out.0.valid"));

        assertEquals(8, gpus.size());
        assertEquals(List.of(2, 2, 2, 2, 8, 8, 2, 8), gpus.stream().map(GpuSample::pstate).toList());
        assertEquals("NVIDIA GeForce RTX 4090", gpus.get(0).name());
        assertEquals(20328 * MIB, gpus.get(0).memoryUsedBytes());
        assertEquals(2_520_000_000L, gpus.get(0).clocksSmHz());
        for (GpuSample gpu : gpus) {
            assertNull(gpu.eccErrorsCorrectedVolatileTotal());
            assertNull(gpu.eccErrorsUncorrectedAggregateTotal());
        }
    }

    @Test
    void olderSingleAndDoubleBitEccLayoutIsRead() {
        GpuSample titan = GpuDetailParser.parse(Fixtures.read("nvidia-smi-q/nvidia-smi-query.560.35.03.out.0.valid")).get(0);
        String edited = Fixtures.read("nvidia-smi-q/nvidia-smi-query.560.35.03.out.0.valid")
                .replaceFirst("(Single Bit(?:\\n.*){7}\\n\\s+Total\\s+: )N/A", "$13")
                .replaceFirst("(Double Bit(?:\\n.*){7}\\n\\s+Total\\s+: )N/A", "$11");

        GpuSample counted = GpuDetailParser.parse(edited).get(0);

        assertNull(titan.eccErrorsCorrectedVolatileTotal(), "the TITAN V capture reports N/A");
        assertEquals(3L, counted.eccErrorsCorrectedVolatileTotal(), "volatile single bit total");
        assertEquals(1L, counted.eccErrorsUncorrectedVolatileTotal(), "volatile double bit total");
        assertNull(counted.eccErrorsCorrectedAggregateTotal());
    }

    @Test
    void sameMachineGivesTheSameIdentityThroughCsvAndDetail() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.dir("nvidia-smi-query-gpu-csv"))) {
            for (Path csv : files.sorted().toList()) {
                String name = csv.getFileName().toString();
                String detail = "nvidia-smi-q/" + name.replace(".csv", ".q.txt");
                GpuSample fromCsv = GpuQueryParser.parse(GpuQueryCsv.fromCapturedCsv("nvidia-smi-query-gpu-csv/" + name), false).get(0);
                GpuSample fromDetail = GpuDetailParser.parse(Fixtures.read(detail)).get(0);
                assertEquals(fromCsv.uuid(), fromDetail.uuid(), name);
                assertEquals(fromCsv.name(), fromDetail.name(), name);
                assertEquals(fromCsv.pciBusId(), fromDetail.pciBusId(), name);
                assertEquals(fromCsv.driverVersion(), fromDetail.driverVersion(), name);
                assertEquals(fromCsv.vbiosVersion().toUpperCase(java.util.Locale.ROOT),
                        fromDetail.vbiosVersion().toUpperCase(java.util.Locale.ROOT), name);
                assertEquals(fromCsv.memoryTotalBytes(), fromDetail.memoryTotalBytes(), name);
                assertEquals(fromCsv.enforcedPowerLimitWatts(), fromDetail.enforcedPowerLimitWatts(), name);
                assertEquals(fromCsv.clocksMemoryHz() == null, fromDetail.clocksMemoryHz() == null, name);
                assertEquals(fromCsv.eccErrorsCorrectedVolatileTotal(), fromDetail.eccErrorsCorrectedVolatileTotal(), name);
                assertEquals(fromCsv.utilizationGpuRatio() == null, fromDetail.utilizationGpuRatio() == null, name);
            }
        }
    }
}
