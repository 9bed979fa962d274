package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same API over a unix socket and over HTTPS, exercised with curl as an operator would. */
class TransportTest {

    @TempDir
    Path dir;

    @Test
    void answersOverUnixSocketWithMode0660AndReplacesAStaleSocket() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir);
        Path socket = dir.resolve("status.sock");
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        properties.put("status.uds-path", socket.toString());
        try (RunningAgent agent = new RunningAgent(properties)) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            String health = curl("--unix-socket", socket.toString(), "http://localhost/health");
            assertEquals("{\"status\":\"ok\"}", health);
            String status = curl("--unix-socket", socket.toString(), "http://localhost/services/k3s/status");
            JsonSchemas.assertValid("service-status.schema.json", status);
            assertTrue(status.contains("\"healthy\":true"), status);
            assertEquals(200, agent.get("/health").status(), "TCP keeps answering next to the socket");
        }
        // A socket file left behind (as after kill -9) must not stop the next start. It gets its own path:
        // Netty closes the agent's listener above on its event loop after close() returns and deletes
        // that listener's path then, which could remove a stale file made at the same path.
        Path staleSocket = dir.resolve("stale.sock");
        try (java.nio.channels.ServerSocketChannel stale = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            stale.bind(java.net.UnixDomainSocketAddress.of(staleSocket));
        }
        assertTrue(Files.exists(staleSocket), "stale socket file is in place");
        properties.put("status.uds-path", staleSocket.toString());
        try (RunningAgent agent = new RunningAgent(properties)) {
            assertEquals("{\"status\":\"ok\"}", curl("--unix-socket", staleSocket.toString(), "http://localhost/health"));
        }
    }

    @Test
    void answersOverHttpsWithPemFiles() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString()));
        FakeBinaries fakes = new FakeBinaries(dir);
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        properties.put("status.tls.cert-path", cert.toString());
        properties.put("status.tls.key-path", key.toString());
        try (RunningAgent agent = new RunningAgent(properties)) {
            String base = "https://localhost:" + agent.port();
            assertEquals("{\"status\":\"ok\"}", curl("--cacert", cert.toString(), base + "/health"));
            String overview = curl("--cacert", cert.toString(), base + "/overview");
            JsonSchemas.assertValid("overview.schema.json", overview);
            // Plain HTTP on the TLS port is not served.
            Process plain = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                    "http://127.0.0.1:" + agent.port() + "/health").redirectErrorStream(true).start();
            String code = new String(plain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            plain.waitFor(10, TimeUnit.SECONDS);
            assertTrue(!code.equals("200"), "plain HTTP answered 200 on the HTTPS port");
        }
    }

    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of("curl", "-sS", "--fail", "--max-time", "10"));
        argv.addAll(List.of(args));
        return run(argv);
    }

    private static String run(List<String> argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "timed out: " + argv);
        assertEquals(0, process.exitValue(), "failed: " + argv + "\n" + out);
        return out;
    }
}
