package ai.chutes.status.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.command.Program;
import ai.chutes.status.push.AgentIdentity;
import ai.chutes.status.push.PushAddress;
import ai.chutes.status.push.PushSettings;
import ai.chutes.status.systemd.ServiceAllowlist;
import ai.chutes.status.systemd.ServiceEntry;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsReaderTest {

    @TempDir
    Path dir;

    private static AgentSettings read(Map<String, Object> properties) {
        return new SettingsReader(new PropertySourcePropertyResolver(PropertySource.of("test", properties))).read();
    }

    private static String refusal(Map<String, Object> properties) {
        return assertThrows(InvalidConfigurationException.class, () -> read(properties)).getMessage();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        AgentSettings settings = read(Map.of());
        assertEquals("0.0.0.0", settings.bindAddress());
        assertEquals(8080, settings.port());
        assertTrue(settings.unixSocket().isEmpty());
        assertTrue(settings.tls().isEmpty());
        assertEquals(Path.of("/usr/bin/systemctl"), settings.runner().binary(Program.SYSTEMCTL));
        assertEquals(Path.of("/usr/bin/journalctl"), settings.runner().binary(Program.JOURNALCTL));
        assertEquals(Path.of("/usr/bin/nvidia-smi"), settings.runner().binary(Program.NVIDIA_SMI));
        assertEquals(Duration.ofSeconds(10), settings.runner().commandTimeout());
        assertEquals(16384, settings.runner().maxOutputBytes());
        assertEquals(Duration.ofSeconds(2), settings.runner().cacheTtl());
        assertEquals(12, settings.runner().maxConcurrentCommands());
        assertEquals(ServiceAllowlist.DEFAULTS, settings.services());
        assertEquals(Duration.ofSeconds(10), settings.metrics().minInterval());
        PushSettings push = settings.push();
        assertTrue(push.enabled());
        assertEquals(PushSettings.Mode.DIAL, push.mode());
        assertEquals(Duration.ofSeconds(10), push.interval());
        assertEquals(Duration.ofMillis(500), push.backoffInitial());
        assertEquals(Duration.ofSeconds(30), push.backoffMax());
        assertEquals(Duration.ofSeconds(10), push.writeTimeout());
        assertEquals(AgentIdentity.defaultId(), push.agentId());
        assertEquals(1024, push.address().port(), "auto: vsock to CID 2 or TCP on loopback, both port 1024");
    }

    @Test
    void pushSettingsAreReadAndRefusedWithTheKeyNamed() {
        PushSettings push = read(Map.of("status.push.enabled", "false", "status.push.address", "unix:///run/c.sock",
                "status.push.mode", "LISTEN", "status.push.interval", "250ms", "status.push.agent-id", "guest-3")).push();
        assertFalse(push.enabled());
        assertEquals(PushAddress.Transport.UNIX, push.address().transport());
        assertEquals(PushSettings.Mode.LISTEN, push.mode());
        assertEquals(Duration.ofMillis(250), push.interval());
        assertEquals("guest-3", push.agentId());
        assertTrue(refusal(Map.of("status.push.address", "udp://x:1")).startsWith("status.push.address must start with"));
        assertTrue(refusal(Map.of("status.push.mode", "both")).startsWith("status.push.mode must be dial or listen"));
        assertTrue(refusal(Map.of("status.push.enabled", "maybe")).startsWith("status.push.enabled must be true or false"));
        assertTrue(refusal(Map.of("status.push.interval", "1ms")).startsWith("status.push.interval must be at least"));
        assertTrue(refusal(Map.of("status.push.backoff-initial", "2s", "status.push.backoff-max", "1s"))
                .startsWith("status.push.backoff-max must be at least 2000ms"));
        assertTrue(refusal(Map.of("status.push.agent-id", "../etc")).startsWith("status.push.agent-id must be"));
    }

    @Test
    void allowlistIsReplacedByConfiguration() {
        AgentSettings settings = read(Map.of("status.services", List.of(
                Map.of("id", "fm", "unit", "nvidia-fabricmanager.service", "description", "Fabric", "masked-ok", true),
                Map.of("id", "ib", "unit", "infiniband-config.service", "oneshot", "true"))));
        assertEquals(List.of(
                new ServiceEntry("fm", "nvidia-fabricmanager.service", "Fabric", true, false),
                new ServiceEntry("ib", "infiniband-config.service", "infiniband-config.service", false, true)), settings.services());
    }

    @Test
    void unsafeOrBrokenSettingsAreRefusedWithTheKeyNamed() throws IOException {
        assertEquals("status.commands.systemctl must be an absolute path, got 'systemctl'",
                refusal(Map.of("status.commands.systemctl", "systemctl")));
        assertTrue(refusal(Map.of("status.commands.nvidia-smi", "bin/nvidia-smi")).startsWith("status.commands.nvidia-smi"));
        assertTrue(refusal(Map.of("status.uds-path", "run/status.sock")).startsWith("status.uds-path must be an absolute path"));
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        assertTrue(refusal(Map.of("status.tls.key-path", key.toString())).contains("must be set together"));
        assertTrue(refusal(Map.of("status.tls.cert-path", dir.resolve("absent.pem").toString(), "status.tls.key-path", key.toString()))
                .startsWith("status.tls.cert-path is not a readable file"));
        assertTrue(refusal(Map.of("status.services", List.of(
                Map.of("id", "k3s", "unit", "k3s.service"), Map.of("id", "k3s", "unit", "k3s-agent.service"))))
                .contains("'k3s' twice"));
        assertTrue(refusal(Map.of("status.services", List.of(Map.of("id", "x", "unit", "--all")))).contains(".unit must be"));
        assertTrue(refusal(Map.of("status.services", List.of(Map.of("id", "x", "unit", "k3s")))).contains(".unit must be"));
        assertTrue(refusal(Map.of("status.services", List.of(Map.of("id", "../x", "unit", "k3s.service")))).contains(".id must be"));
        assertTrue(refusal(Map.of("status.command-timeout", "0s")).startsWith("status.command-timeout must be positive"));
        assertTrue(refusal(Map.of("status.command-timeout", "soon")).startsWith("status.command-timeout must be a duration"));
        assertTrue(refusal(Map.of("status.max-output-bytes", "12")).startsWith("status.max-output-bytes"));
        assertTrue(refusal(Map.of("status.max-concurrent-commands", "0")).startsWith("status.max-concurrent-commands"));
        assertTrue(refusal(Map.of("status.port", "70000")).startsWith("status.port"));
        assertEquals("status.metrics.min-interval must be between 0s and 1h, got PT-1S",
                refusal(Map.of("status.metrics.min-interval", "-1s")));
        assertTrue(refusal(Map.of("status.metrics.min-interval", "2h")).startsWith("status.metrics.min-interval must be between"));
        assertTrue(refusal(Map.of("status.metrics.min-interval", "often")).startsWith("status.metrics.min-interval must be a duration"));
        assertTrue(refusal(Map.of("status.port", "http")).startsWith("status.port must be a whole number"));
    }

    @Test
    void redactionPatternsAreCompiledAndRefusedWhenTheyCannotWork() {
        assertEquals(List.of(), read(Map.of()).redaction().patterns());
        assertEquals("MYCO-[0-9]{6}", read(Map.of("status.redaction.patterns", List.of("MYCO-[0-9]{6}", "x{2}"))).redaction()
                .patterns().get(0).pattern());
        assertTrue(refusal(Map.of("status.redaction.patterns", List.of("ok", "(unclosed")))
                .startsWith("status.redaction.patterns[1] is not a valid regular expression"));
        assertTrue(refusal(Map.of("status.redaction.patterns", List.of("a*")))
                .startsWith("status.redaction.patterns[0] matches the empty string"));
    }

    @Test
    void theRealLauncherStopsWithOneClearLineAndExitStatus2() throws Exception {
        Map<String, String> cases = new HashMap<>();
        cases.put("-Dstatus.commands.journalctl=journalctl", "status.commands.journalctl must be an absolute path");
        cases.put("-Dstatus.uds-path=" + dir.resolve("missing-dir/status.sock"), "status.uds-path: directory");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            Process process = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    "-Dstatus.port=0", "-Dstatus.bind-address=127.0.0.1", entry.getKey(), "ai.chutes.status.Application")
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(2, process.exitValue(), output);
            assertTrue(output.contains("system-status: cannot start: " + entry.getValue()), output);
            assertFalse(output.contains("\tat "), "no stack trace: " + output);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
