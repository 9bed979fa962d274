package ai.chutes.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real launcher asked for help prints its usage and ends, instead of starting an agent that pushes. */
class ApplicationHelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpPrintsTheUsageAndStartsNothing(String flag) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                // Explicit push and listener settings all the same: were --help ignored, the agent would run
                // (and this test time out) without dialing vsock://2:1024 from this machine.
                "-Dstatus.port=0", "-Dstatus.bind-address=127.0.0.1", "-Dstatus.push.enabled=false",
                "ai.chutes.status.Application", flag)
                .redirectErrorStream(true).start();
        boolean ended = process.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, "the launcher kept running: " + output);
        assertEquals(0, process.exitValue(), output);
        assertEquals(Application.USAGE, output, "the usage alone: no log line, no listener");
    }
}
