package ai.chutes.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Micronaut's settings for the agent reach it where application.properties would, below the operator's:
 * its header limit (16 KiB, Netty's own is 8 KiB) holds unless a config file or -D lowers it.
 */
class MicronautDefaultsTest {

    /** A header between Netty's default limit and the agent's. */
    private static final String TEN_KIB = "a".repeat(10 * 1024);

    @TempDir
    Path dir;

    @Test
    void theAgentsSettingsApplyInTheTestsAgent() {
        try (RunningAgent agent = new RunningAgent(Map.of())) {
            assertEquals("16384", agent.context().getProperty("micronaut.server.netty.max-header-size", String.class).orElseThrow());
            assertEquals(200, agent.send(java.net.http.HttpRequest.newBuilder(agent.uri("/health")).header("X-Padding", TEN_KIB).build()).status());
        }
    }

    @Test
    void theLauncherAppliesThemAndTheOperatorOverridesThem() throws Exception {
        Path none = Files.createDirectories(dir.resolve("classes"));
        try (LaunchedAgent agent = LaunchedAgent.start(dir, "defaults", none, List.of())) {
            assertEquals(200, agent.status("/health", "X-Padding", TEN_KIB), agent.log());
        }
        Path config = Files.writeString(dir.resolve("application.json"),
                "{\"micronaut\": {\"server\": {\"netty\": {\"max-header-size\": 4096}}}}");
        try (LaunchedAgent agent = LaunchedAgent.start(dir, "config-file", none, List.of("-Dmicronaut.config.files=" + config))) {
            int status = agent.status("/health", "X-Padding", TEN_KIB);
            assertTrue(status >= 400 && status < 500, "a config file lowers the limit: " + status);
            assertEquals(200, agent.status("/health"));
        }
        try (LaunchedAgent agent = LaunchedAgent.start(dir, "system-property", none, List.of("-Dmicronaut.server.netty.max-header-size=4096"))) {
            int status = agent.status("/health", "X-Padding", TEN_KIB);
            assertTrue(status >= 400 && status < 500, "-D lowers the limit: " + status);
        }
    }
}
