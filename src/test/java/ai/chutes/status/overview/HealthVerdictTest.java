package ai.chutes.status.overview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.GpuCapture;
import ai.chutes.status.gpu.GpuFieldTable;
import ai.chutes.status.gpu.GpuQuery;
import ai.chutes.status.gpu.GpuQueryParser;
import ai.chutes.status.gpu.GpuSamples;
import ai.chutes.status.gpu.GpuTable;
import ai.chutes.status.gpu.XidEvents;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one health rule over real captures. The faulty GPUs are the captured H100 row with one value
 * changed to what nvidia-smi prints for the fault (no capture of a faulty GPU exists): the change is
 * named in each test. The XID lines are in the NVIDIA driver's documented kernel-log form.
 */
class HealthVerdictTest {

    private static GpuQuery query(String csv, XidEvents xids) {
        GpuCapture h100 = GpuCapture.h100Idle();
        List<String> fields = GpuFieldTable.supported(h100.helpQueryGpu());
        GpuTable table = GpuQueryParser.parse(select(csv, fields), false, fields);
        return new GpuQuery(table, GpuSamples.of(table, xids), xids, true, 0, Duration.ofMillis(20));
    }

    private static String h100(String capturedValue, String faultValue, String field) {
        String csv = GpuCapture.h100Idle().csv();
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].split(",")).stream().map(h -> h.trim().split(" ")[0]).toList();
        String[] values = lines[1].split(",", -1);
        int column = header.indexOf(field);
        assertEquals(capturedValue, values[column].trim(), field + " as captured");
        values[column] = " " + faultValue;
        return lines[0] + "\n" + String.join(",", values) + "\n";
    }

    @Test
    void theCapturedH100IsHealthy() {
        HealthVerdict verdict = HealthVerdict.of(List.of(), query(GpuCapture.h100Idle().csv(), XidEvents.none()));
        assertTrue(verdict.ok(), verdict.reasons().toString());
    }

    @Test
    void remapPendingAndFailedAreDegraded() {
        HealthVerdict pending = HealthVerdict.of(List.of(), query(h100("No", "Yes", "remapped_rows.pending"), XidEvents.none()));
        assertEquals(List.of("GPU 0 (00000000:00:09.0) has row remapping pending (reset the GPU)"), pending.reasons());
        HealthVerdict failed = HealthVerdict.of(List.of(), query(h100("No", "Yes", "remapped_rows.failure"), XidEvents.none()));
        assertEquals(List.of("GPU 0 (00000000:00:09.0) has a failed row remapping"), failed.reasons());
    }

    @Test
    void uncorrectableVolatileEccAndARecoveryActionAreDegraded() {
        HealthVerdict ecc = HealthVerdict.of(List.of(), query(h100("0", "2", "ecc.errors.uncorrected.volatile.total"), XidEvents.none()));
        assertFalse(ecc.ok());
        assertTrue(ecc.reasons().get(0).contains("2 uncorrectable ECC errors"), ecc.reasons().toString());
        HealthVerdict reset = HealthVerdict.of(List.of(), query(h100("None", "GPU Reset", "gpu_recovery_action"), XidEvents.none()));
        assertEquals(List.of("GPU 0 (00000000:00:09.0) asks for recovery action GPU Reset"), reset.reasons());
    }

    @Test
    void aFatalXidNamesTheGpuAndTheXidAndANonFatalOneDoesNot() {
        XidEvents xids = XidEvents.parse("""
                1732990000.123456 gpu-node kernel: NVRM: Xid (PCI:0000:00:09): 31, pid=2096908, name=python3, Ch 00000008, intr 10000000
                1732990100.000001 gpu-node kernel: NVRM: Xid (PCI:0000:00:09): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.
                1732990200.5 gpu-node kernel: NVRM: Xid (PCI:0000:3b:00): 48, pid='<unknown>', name=<unknown>, An uncorrectable double bit error (DBE) has been detected on GPU in the framebuffer at partition 6, subpartition 0.
                1732990300.5 gpu-node kernel: nvidia-nvswitch0: SXid (PCI:0000:00:00.0): 11001, Fatal, ingress invalid command
                """);
        HealthVerdict verdict = HealthVerdict.of(List.of(), query(GpuCapture.h100Idle().csv(), xids));
        assertEquals(List.of("GPU 0 (00000000:00:09.0) had fatal XID 79 (fell off the bus)",
                "the GPU at PCI 0000:3b:00 (not listed by nvidia-smi) had fatal XID 48"), verdict.reasons());
        HealthVerdict onlyNonFatal = HealthVerdict.of(List.of(), query(GpuCapture.h100Idle().csv(), XidEvents.parse(
                "1732990000.123456 gpu-node kernel: NVRM: Xid (PCI:0000:00:09): 31, pid=2096908, name=python3, Ch 00000008\n")));
        assertTrue(onlyNonFatal.ok());
    }

    @Test
    void noQueryYetOrAFailedQueryIsDegraded() {
        assertFalse(HealthVerdict.of(List.of(), null).ok());
        assertFalse(HealthVerdict.of(null, query(GpuCapture.h100Idle().csv(), XidEvents.none())).ok());
    }

    private static String select(String csv, List<String> fields) {
        return GpuCapture.select(csv, fields);
    }
}
