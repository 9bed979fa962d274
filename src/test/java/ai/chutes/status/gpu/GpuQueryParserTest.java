package ai.chutes.status.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.GpuCapture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The {@code --query-gpu=<fields> --format=csv} parser and the typed samples, over every real
 * full-field capture of nvidia_gpu_exporter's corpus, asked for the fields its own driver lists.
 */
class GpuQueryParserTest {

    static List<String> machines() {
        return GpuCapture.MACHINES;
    }

    /** What the agent asks a machine for: the table's fields its --help-query-gpu lists. */
    static GpuTable asked(GpuCapture capture) {
        List<String> fields = GpuFieldTable.supported(capture.helpQueryGpu());
        return GpuQueryParser.parse(select(capture.csv(), fields), false, fields);
    }

    @ParameterizedTest
    @MethodSource("machines")
    void everyCaptureParsesIntoOneTypedGpu(String machine) {
        for (String state : List.of("idle", "load")) {
            GpuCapture capture = GpuCapture.of(machine, state);
            GpuTable table = asked(capture);
            assertEquals(1, table.rows().size(), capture.name());
            List<String> header = List.of(capture.csv().split("\n")[0].split(",")).stream().map(String::trim).toList();
            assertEquals(header.size(), table.fields().size(), "every field the driver lists is in the table: " + capture.name());
            GpuSample gpu = GpuSamples.of(table, XidEvents.none()).get(0);
            assertEquals(0, gpu.index());
            assertEquals("GPU-00000000-0000-0000-0000-000000000000", gpu.uuid());
            assertTrue(gpu.memoryTotalBytes() > 0, capture.name());
        }
    }

    @Test
    void anH100IdleReadsInBaseUnits() {
        GpuSample gpu = GpuSamples.of(asked(GpuCapture.h100Idle()), XidEvents.none()).get(0);
        assertEquals("NVIDIA H100 80GB HBM3", gpu.name());
        assertEquals("00000000:00:09.0", gpu.pciBusId());
        assertEquals("9.0", gpu.computeCap());
        assertEquals(0.0, gpu.utilizationGpuRatio());
        assertEquals(81559L * 1024 * 1024, gpu.memoryTotalBytes());
        assertEquals(41.0, gpu.temperatureGpuCelsius());
        assertEquals(48.0, gpu.temperatureMemoryCelsius());
        assertEquals(69.85, gpu.powerDrawWatts());
        assertEquals(700.0, gpu.enforcedPowerLimitWatts());
        assertEquals(345_000_000L, gpu.clocksSmHz());
        assertEquals(0, gpu.pstate());
        assertEquals(0L, gpu.eccErrorsUncorrectedVolatileTotal());
        assertEquals(Boolean.FALSE, gpu.remappedRowsPending());
        assertEquals(Boolean.FALSE, gpu.remappedRowsFailure());
        assertNull(gpu.retiredPagesPending(), "[N/A] stays unknown, never false");
        assertEquals("None", gpu.gpuRecoveryAction());
        assertEquals(Boolean.FALSE, gpu.hwThermalSlowdown());
        assertEquals("Completed", gpu.fabricState());
        assertNull(gpu.xidErrors());
    }

    @Test
    void migModeHasNoUtilizationAndAConsumerCardNoEcc() {
        GpuSample mig = GpuSamples.of(asked(GpuCapture.of(GpuCapture.H100_MIG, "load")), XidEvents.none()).get(0);
        assertNull(mig.utilizationGpuRatio(), "[N/A] in MIG mode");
        assertEquals(11125L * 1024 * 1024, mig.memoryUsedBytes());
        GpuSample rtx = GpuSamples.of(asked(GpuCapture.of(GpuCapture.RTX_2080, "idle")), XidEvents.none()).get(0);
        assertNull(rtx.eccErrorsUncorrectedVolatileTotal());
        assertNull(rtx.temperatureMemoryCelsius(), "N/A");
        assertEquals(8, rtx.pstate());
        assertEquals(0.09, rtx.utilizationMemoryRatio(), 1e-12);
    }

    @Test
    void onlyTheFieldsTheDriverListsAreAskedFor() {
        List<String> h100 = GpuFieldTable.supported(GpuCapture.helpOf(GpuCapture.H100));
        List<String> l40s = GpuFieldTable.supported(GpuCapture.helpOf(GpuCapture.L40S));
        assertFalse(h100.contains("kmd_version"), "driver 590.48.01 does not know kmd_version");
        assertTrue(l40s.contains("kmd_version"));
        assertTrue(h100.contains("power_smoothing.window_multiplier"));
        assertFalse(l40s.contains("power_smoothing.window_multiplier"), "driver 595.80 dropped power smoothing");
        assertFalse(h100.contains("gpu_name"), "an alias counts once, under its first name");
        assertEquals(212, h100.size());
    }

    @Test
    void fourGpusKeepTheirOwnValues() {
        GpuCapture four = GpuCapture.fourGpus();
        List<String> fields = GpuFieldTable.supported(four.helpQueryGpu());
        List<GpuSample> gpus = GpuSamples.of(GpuQueryParser.parse(select(four.csv(), fields), false, fields), XidEvents.none());
        assertEquals(List.of(0, 1, 2, 3), gpus.stream().map(GpuSample::index).toList());
        assertEquals(4, gpus.stream().map(GpuSample::uuid).distinct().count());
        assertEquals(List.of("NVIDIA H100 80GB HBM3", "NVIDIA H100 80GB HBM3", "NVIDIA H200", "NVIDIA H200"),
                gpus.stream().map(GpuSample::name).toList());
    }

    @Test
    void aBrokenLineAHeaderMismatchAndACutAreEachContained() {
        List<String> fields = GpuFieldTable.supported(GpuCapture.helpOf(GpuCapture.H100));
        String csv = select(GpuCapture.h100Idle().csv(), fields);
        String[] lines = csv.split("\n");
        GpuTable broken = GpuQueryParser.parse(lines[0] + "\n" + lines[1] + "\nUnable to determine the device handle for GPU0000:3B:00.0: Unknown Error\n", false, fields);
        assertEquals(1, broken.rows().size(), "the error line is skipped on its own");
        assertEquals(0, GpuQueryParser.parse(csv, false, fields.subList(1, fields.size())).rows().size(),
                "a header that does not name the asked fields gives no rows");
        String cut = csv.substring(0, csv.length() - 20);
        assertEquals(0, GpuQueryParser.parse(cut, true, fields).rows().size(), "a line cut by the cap is no reading");
        assertEquals(1, GpuQueryParser.parse(csv, true, fields).rows().size(), "a cap that falls on a newline cuts nothing");
        assertEquals(0, GpuQueryParser.parse("", false, fields).rows().size());
    }

    @Test
    void theTableTheRecordAndTheSchemaNameTheSameTypedFields() throws Exception {
        List<String> table = GpuFieldTable.all().stream().filter(GpuField::typed).map(GpuField::jsonName).sorted().toList();
        List<String> record = GpuSamples.jsonNames().stream()
                .filter(name -> !name.equals(GpuSamples.XID_ERRORS) && !name.equals(GpuSamples.XID_LAST)).sorted().toList();
        assertEquals(table, record);
        String schema = java.nio.file.Files.readString(java.nio.file.Path.of("schemas", "gpu-sample.schema.json"));
        com.fasterxml.jackson.databind.JsonNode properties = new com.fasterxml.jackson.databind.ObjectMapper().readTree(schema).get("properties");
        List<String> inSchema = new java.util.ArrayList<>();
        properties.fieldNames().forEachRemaining(inSchema::add);
        assertEquals(GpuSamples.jsonNames().stream().sorted().toList(), inSchema.stream().sorted().toList());
    }

    static String select(String csv, List<String> fields) {
        return GpuCapture.select(csv, fields);
    }
}
