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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code --query-gpu ... --format=csv,noheader,nounits} parser, over inputs derived from every
 * captured {@code --format=csv} file (see {@link GpuQueryCsv#fromCapturedCsv}) and from the 8-GPU
 * {@code -q} captures (no multi-GPU CSV capture exists).
 */
class GpuQueryParserTest {

    private static final long MIB = 1024L * 1024L;
    private static final String H100_IDLE = "nvidia-smi-query-gpu-csv/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.csv";
    private static final String MIG_LOAD = "nvidia-smi-query-gpu-csv/linux-x86_64__nvidia-h100-mig__590.48.01__load.csv";
    private static final String RTX_2080_IDLE = "nvidia-smi-query-gpu-csv/linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05__idle.csv";

    static Stream<String> capturedCsvFiles() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.dir("nvidia-smi-query-gpu-csv"))) {
            List<String> names = files.map(file -> "nvidia-smi-query-gpu-csv/" + file.getFileName()).sorted().toList();
            assertEquals(14, names.size(), "the shared CSV captures: " + names);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("capturedCsvFiles")
    void everyCapturedCsvGivesOneCompleteGpu(String fixture) {
        List<GpuSample> gpus = GpuQueryParser.parse(GpuQueryCsv.fromCapturedCsv(fixture), false);

        assertEquals(1, gpus.size());
        GpuSample gpu = gpus.get(0);
        assertEquals(0, gpu.index());
        assertEquals("GPU-00000000-0000-0000-0000-000000000000", gpu.uuid());
        assertTrue(gpu.name().startsWith("NVIDIA "), gpu.name());
        assertTrue(gpu.pciBusId().matches("00000000:[0-9A-F]{2}:[0-9A-F]{2}\\.0"), gpu.pciBusId());
        assertTrue(gpu.computeCap().matches("\\d+\\.\\d+"), gpu.computeCap());
        assertEquals(gpu.memoryTotalBytes() % MIB, 0);
        assertTrue(gpu.memoryUsedBytes() + gpu.memoryFreeBytes() <= gpu.memoryTotalBytes());
        assertTrue(gpu.temperatureGpuCelsius() > 20 && gpu.temperatureGpuCelsius() < 90);
        assertTrue(gpu.powerDrawWatts() > 10 && gpu.powerDrawWatts() <= gpu.enforcedPowerLimitWatts());
        assertTrue(gpu.clocksSmHz() >= 200_000_000L && gpu.clocksMemoryHz() >= 400_000_000L);
        assertEquals(gpu.clocksSmHz(), gpu.clocksGraphicsHz(), "these GPUs run SM and graphics clocks together");
        assertTrue(gpu.pstate() == 0 || gpu.pstate() == 2 || gpu.pstate() == 8, "pstate " + gpu.pstate());
        boolean mig = fixture.contains("-mig_");
        assertEquals(mig, gpu.utilizationGpuRatio() == null, "utilization is N/A exactly in MIG mode");
        boolean consumer = fixture.contains("geforce");
        assertEquals(consumer, gpu.eccErrorsCorrectedVolatileTotal() == null, "GeForce cards report ECC as N/A");
        assertEquals(consumer, gpu.eccErrorsUncorrectedAggregateTotal() == null);
    }

    @Test
    void h100IdleValuesInBaseUnits() {
        GpuSample gpu = GpuQueryParser.parse(GpuQueryCsv.fromCapturedCsv(H100_IDLE), false).get(0);

        assertEquals(new GpuSample(0, "GPU-00000000-0000-0000-0000-000000000000", "NVIDIA H100 80GB HBM3",
                "00000000:00:09.0", "590.48.01", "96.00.A5.00.01", "9.0", 0.0, 0.0,
                81559 * MIB, 0L, 81081 * MIB, 41.0, 69.85, 700.0,
                345_000_000L, 2_619_000_000L, 345_000_000L, 0, 0L, 0L, 0L, 0L), gpu);
    }

    @Test
    void migModeLeavesUtilizationOutAndKeepsEverythingElse() {
        GpuSample gpu = GpuQueryParser.parse(GpuQueryCsv.fromCapturedCsv(MIG_LOAD), false).get(0);

        assertEquals(new GpuSample(0, "GPU-00000000-0000-0000-0000-000000000000", "NVIDIA H100 80GB HBM3",
                "00000000:00:09.0", "590.48.01", "96.00.A5.00.01", "9.0", null, null,
                81559 * MIB, 11125 * MIB, 69956 * MIB, 53.0, 433.78, 700.0,
                1_980_000_000L, 2_619_000_000L, 1_980_000_000L, 0, 0L, 0L, 0L, 0L), gpu);
    }

    @Test
    void consumerCardWithoutEccHasNullCountsNotZero() {
        GpuSample gpu = GpuQueryParser.parse(GpuQueryCsv.fromCapturedCsv(RTX_2080_IDLE), false).get(0);

        assertEquals("NVIDIA GeForce RTX 2080 SUPER", gpu.name());
        assertEquals(0.0, gpu.utilizationGpuRatio());
        assertEquals(0.09, gpu.utilizationMemoryRatio(), 1e-9);
        assertEquals(8, gpu.pstate());
        assertNull(gpu.eccErrorsCorrectedVolatileTotal());
        assertNull(gpu.eccErrorsUncorrectedVolatileTotal());
        assertNull(gpu.eccErrorsCorrectedAggregateTotal());
        assertNull(gpu.eccErrorsUncorrectedAggregateTotal());
    }

    @Test
    void eightGpusFromTheMultiGpuCaptureParseInOrder() {
        List<GpuSample> fromDetail = GpuDetailParser.parse(Fixtures.read("nvidia-smi-q/nvidia-smi-query.535.183.01.out.0.valid"));
        List<GpuSample> gpus = GpuQueryParser.parse(GpuQueryCsv.render(fromDetail), false);

        assertEquals(8, gpus.size());
        assertEquals(fromDetail, gpus, "the CSV form carries every value of the -q report");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), gpus.stream().map(GpuSample::index).toList());
        assertEquals("GPU-7e78e6c8-c71c-66c7-9ded-f8836cecab32", gpus.get(7).uuid());
        assertEquals("00000000:CA:00.0", gpus.get(7).pciBusId());
        assertEquals(74.76, gpus.get(7).powerDrawWatts());
    }

    @Test
    void aValueThatIsNotAReadingIsLeftOutForThatGpuAndFieldOnly() {
        String h100 = GpuQueryCsv.fromCapturedCsv(H100_IDLE).strip();
        String[] fields = h100.split(", ");
        // A second and third GPU copied from the real line, each with some fields as nvidia-smi prints
        // unreadable values, and between them the error line nvidia-smi prints for a lost GPU.
        String[] second = fields.clone();
        second[0] = "1";
        second[1] = "GPU-11111111-1111-1111-1111-111111111111";
        second[7] = "[Not Supported]";
        second[12] = "ERR!";
        second[13] = "[Unknown Error]";
        second[18] = "N/A";
        second[19] = "[N/A]";
        String[] third = fields.clone();
        third[0] = "2";
        third[1] = "GPU-22222222-2222-2222-2222-222222222222";
        third[9] = "[Insufficient Permissions]";
        String output = h100 + "\n" + String.join(", ", second) + "\n"
                + "Unable to determine the device handle for GPU0000:3B:00.0: Unknown Error\n"
                + String.join(", ", third) + "\n";

        List<GpuSample> gpus = GpuQueryParser.parse(output, false);

        assertEquals(3, gpus.size());
        GpuSample first = GpuQueryParser.parse(h100 + "\n", false).get(0);
        assertEquals(first, gpus.get(0));
        GpuSample broken = gpus.get(1);
        assertNull(broken.utilizationGpuRatio());
        assertNull(broken.temperatureGpuCelsius());
        assertNull(broken.powerDrawWatts());
        assertNull(broken.pstate());
        assertNull(broken.eccErrorsCorrectedVolatileTotal());
        assertEquals(first.utilizationMemoryRatio(), broken.utilizationMemoryRatio());
        assertEquals(first.memoryTotalBytes(), broken.memoryTotalBytes());
        assertEquals(first.enforcedPowerLimitWatts(), broken.enforcedPowerLimitWatts());
        assertEquals(first.eccErrorsUncorrectedVolatileTotal(), broken.eccErrorsUncorrectedVolatileTotal());
        assertNull(gpus.get(2).memoryTotalBytes());
        assertEquals(first.memoryUsedBytes(), gpus.get(2).memoryUsedBytes());
        assertEquals("GPU-22222222-2222-2222-2222-222222222222", gpus.get(2).uuid());
    }

    @Test
    void aLineCutByTheOutputCapIsDropped() {
        String line = GpuQueryCsv.fromCapturedCsv(H100_IDLE);
        String cut = line + line.substring(0, line.length() - 3);

        assertEquals(1, GpuQueryParser.parse(cut, true).size());
        assertEquals(2, GpuQueryParser.parse(line + line, true).size(), "a cap that falls on a newline cuts nothing");
        assertEquals(List.of(), GpuQueryParser.parse("", false));
        assertNotNull(GpuQueryParser.parse(line.strip(), false).get(0).uuid(), "a complete output without its final newline");
    }
}
