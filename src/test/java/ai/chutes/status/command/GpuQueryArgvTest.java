package ai.chutes.status.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The GPU query's argv holds field names only: one argument, no shell, nothing else gets in. */
class GpuQueryArgvTest {

    @Test
    void fieldNamesBecomeOneArgument() {
        assertEquals(List.of("nvidia-smi", "--query-gpu=index,uuid,memory.used", "--format=csv"),
                Commands.gpuQuery(List.of("index", "uuid", "memory.used")).displayArgv());
        assertEquals(256 * 1024, Commands.gpuQuery(List.of("index")).minStdoutBytes());
    }

    @Test
    void anythingButFieldNamesIsRefused() {
        for (String bad : List.of("", "index,uuid", "index --loop=1", "-i", "a;id", "$(id)", "x".repeat(129), "ü")) {
            assertThrows(IllegalArgumentException.class, () -> Commands.gpuQuery(List.of("index", bad)), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Commands.gpuQuery(List.of()));
    }
}
