package ai.chutes.status.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.authentication.AuthenticationSettings;
import ai.chutes.status.hygiene.HygieneSettings;
import ai.chutes.status.command.Program;
import ai.chutes.status.listener.UnixSocketOwnership;
import ai.chutes.status.push.AgentIdentity;
import ai.chutes.status.push.PushAddress;
import ai.chutes.status.push.PushSettings;
import ai.chutes.status.settings.InvalidConfigurationException;
import ai.chutes.status.systemd.ServiceAllowlist;
import ai.chutes.status.systemd.ServiceEntry;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        assertEquals("0.0.0.0", settings.listeners().bindAddress());
        assertEquals(8080, settings.listeners().port());
        assertTrue(settings.listeners().unixSocket().isEmpty());
        assertTrue(settings.listeners().tls().isEmpty());
        assertEquals(Path.of("/usr/bin/systemctl"), settings.runner().binary(Program.SYSTEMCTL));
        assertEquals(Path.of("/usr/bin/journalctl"), settings.runner().binary(Program.JOURNALCTL));
        assertEquals(Path.of("/usr/bin/nvidia-smi"), settings.runner().binary(Program.NVIDIA_SMI));
        assertEquals(Duration.ofSeconds(10), settings.runner().commandTimeout());
        assertEquals(16384, settings.runner().maxOutputBytes());
        assertEquals(Duration.ofSeconds(2), settings.runner().cacheTtl());
        assertEquals(12, settings.runner().maxConcurrentCommands());
        assertEquals(ServiceAllowlist.DEFAULTS, settings.services());
        assertEquals(Duration.ofSeconds(10), settings.metrics().minInterval());
        assertEquals(Duration.ofSeconds(30), settings.gpu().xidRefresh());
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
        assertTrue(refusal(Map.of("status.gpu.xid-refresh", "11m")).startsWith("status.gpu.xid-refresh must be between 0s and 10m"));
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
    void accessIsOpenByDefault() {
        AgentSettings settings = read(Map.of());
        assertEquals(AuthenticationSettings.open(), settings.authentication());
        assertTrue(settings.audit().enabled());
        assertEquals(new HygieneSettings(Duration.ofSeconds(10), Duration.ofSeconds(10)), settings.hygiene());
        assertEquals(UnixSocketOwnership.DEFAULT, settings.listeners().unixSocketOwnership());
        assertEquals("rw-rw----", PosixFilePermissions.toString(settings.listeners().unixSocketOwnership().mode()));
    }

    @Test
    void accessSettingsAreReadAndResolved() throws IOException {
        Path tokens = Files.writeString(dir.resolve("tokens"), "# comment\nabcdefghijklmnop0123\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-r-----"));
        AgentSettings settings = read(Map.of("status.uds-path", "/run/status/status.sock", "status.uds-mode", "660",
                "status.uds-allowed-uids", "0,nobody", "status.uds-allowed-gids", List.of("65534"),
                "status.auth.token-file", tokens.toString(), "status.auth.metrics-open", "true",
                "status.rate-limit.per-second", "2.5", "status.audit.enabled", "false", "status.request-read-timeout", "3s"));
        AuthenticationSettings access = settings.authentication();
        assertEquals(Optional.of(tokens), access.tokenFile());
        assertTrue(access.metricsOpen());
        assertEquals(2, access.peers().users().size());
        assertTrue(access.peers().users().contains(lookup().lookupPrincipalByName("65534")), "nobody by name is uid 65534");
        assertTrue(access.peers().groups().contains(lookup().lookupPrincipalByGroupName("nogroup")));
        assertEquals(new AuthenticationSettings.RateLimit(2.5, 5), access.rateLimit(), "the burst defaults to twice the rate");
        assertFalse(settings.audit().enabled());
        assertEquals(Duration.ofSeconds(3), settings.hygiene().requestReadTimeout());
    }

    @Test
    void unsafeOrInconsistentAuthenticationSettingsAreRefused() throws IOException {
        Path open = Files.writeString(dir.resolve("open-tokens"), "abcdefghijklmnop0123\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(refusal(Map.of("status.auth.token-file", open.toString())).contains("must not be readable by others"));
        Path shortToken = Files.writeString(dir.resolve("short"), "secret\n");
        Files.setPosixFilePermissions(shortToken, PosixFilePermissions.fromString("rw-------"));
        assertTrue(refusal(Map.of("status.auth.token-file", shortToken.toString())).contains("line 1 is not a token of at least 16"));
        Path empty = Files.writeString(dir.resolve("empty"), "# none yet\n");
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rw-------"));
        assertTrue(refusal(Map.of("status.auth.token-file", empty.toString())).contains("holds no token"));
        assertTrue(refusal(Map.of("status.auth.token-file", "tokens")).startsWith("status.auth.token-file must be an absolute path"));
        assertTrue(refusal(Map.of("status.auth.token-file", dir.resolve("absent").toString())).contains("cannot be read"));

        Path pem = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
        assertTrue(refusal(Map.of("status.tls.client-ca-path", pem.toString())).startsWith("status.tls.client-ca-path needs HTTPS"));
        assertTrue(refusal(Map.of("status.tls.client-auth", "required")).startsWith("status.tls.client-auth needs"));
        assertTrue(refusal(Map.of("status.uds-mode", "0600")).startsWith("status.uds-mode needs status.uds-path"));
        assertTrue(refusal(Map.of("status.uds-allowed-uids", "0")).startsWith("status.uds-allowed-uids and -gids need"));
        String uds = "/run/status/status.sock";
        assertTrue(refusal(Map.of("status.uds-path", uds, "status.uds-mode", "0999")).startsWith("status.uds-mode must be an octal"));
        assertTrue(refusal(Map.of("status.uds-path", uds, "status.uds-mode", "rw-rw----")).startsWith("status.uds-mode must be an octal"));
        assertTrue(refusal(Map.of("status.uds-path", uds, "status.uds-owner", "no-such-user-here"))
                .startsWith("status.uds-owner: no user 'no-such-user-here'"));
        assertTrue(refusal(Map.of("status.uds-path", uds, "status.uds-allowed-gids", "no-such-group-here"))
                .startsWith("status.uds-allowed-gids: no group"));
        assertTrue(refusal(Map.of("status.rate-limit.per-second", "-1")).startsWith("status.rate-limit.per-second must be between"));
        assertTrue(refusal(Map.of("status.rate-limit.per-second", "fast")).startsWith("status.rate-limit.per-second must be a number"));
        assertTrue(refusal(Map.of("status.rate-limit.burst", "5")).startsWith("status.rate-limit.burst needs"));
        assertTrue(refusal(Map.of("status.rate-limit.per-second", "1", "status.rate-limit.burst", "0"))
                .startsWith("status.rate-limit.burst must be between 1"));
        assertTrue(refusal(Map.of("status.request-read-timeout", "10ms")).startsWith("status.request-read-timeout must be between"));
        assertTrue(refusal(Map.of("status.audit.enabled", "sometimes")).startsWith("status.audit.enabled must be true or false"));
    }

    @Test
    void aClientCaMustHoldCertificatesAndAModeMustBeKnown() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-days", "1", "-subj", "/CN=ca", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertEquals(0, openssl.waitFor());
        Map<String, Object> https = Map.of("status.tls.cert-path", cert.toString(), "status.tls.key-path", key.toString());
        AuthenticationSettings.ClientCertificates clients = read(with(https, "status.tls.client-ca-path", cert.toString()))
                .authentication().clientCertificates().orElseThrow();
        assertTrue(clients.required(), "required unless said otherwise");
        assertFalse(read(with(with(https, "status.tls.client-ca-path", cert.toString()), "status.tls.client-auth", "OPTIONAL"))
                .authentication().clientCertificates().orElseThrow().required());
        assertTrue(refusal(with(with(https, "status.tls.client-ca-path", cert.toString()), "status.tls.client-auth", "maybe"))
                .startsWith("status.tls.client-auth must be required or optional"));
        assertTrue(refusal(with(https, "status.tls.client-ca-path", key.toString())).contains("does not hold PEM certificates"));
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static UserPrincipalLookupService lookup() {
        return FileSystems.getDefault().getUserPrincipalLookupService();
    }

    @Test
    void theRealLauncherStopsWithOneClearLineAndExitStatus2() throws Exception {
        Map<String, String> cases = new HashMap<>();
        cases.put("-Dstatus.commands.journalctl=journalctl", "status.commands.journalctl must be an absolute path");
        cases.put("-Dstatus.uds-path=" + dir.resolve("missing-dir/status.sock"), "status.uds-path: directory");
        cases.put("-Dstatus.auth.token-file=" + dir.resolve("no-tokens"), "status.auth.token-file " + dir.resolve("no-tokens") + " cannot be read");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            Process process = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    // An explicit push setting: the default auto would dial vsock://2:1024 on a VM like this one.
                    "-Dstatus.port=0", "-Dstatus.bind-address=127.0.0.1", "-Dstatus.push.enabled=false",
                    entry.getKey(), "ai.chutes.status.Application")
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
