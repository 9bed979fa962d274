package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.audit.AuditCapture;
import ai.chutes.status.authentication.Curl;
import ai.chutes.status.authentication.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener against a client that pipelines requests inside TLS and never reads an answer:
 * as on plain TCP ({@link HostileFramingTest}), the agent stops reading it once its answers back up,
 * closes it after {@code status.answer-write-timeout}, and serves every other client meanwhile. TLS
 * buffers records of its own, so this is not implied by the plain case.
 */
class HostileTlsClientTest {

    @TempDir
    Path dir;

    @Test
    void anHttpsClientThatPipelinesAndNeverReadsIsClosedWhileOthersAreServed() throws Exception {
        TestCertificates pki = new TestCertificates(dir);
        Map<String, Object> properties = new HashMap<>(new FakeBinaries(dir).properties());
        properties.put("status.tls.cert-path", pki.serverCert.toString());
        properties.put("status.tls.key-path", pki.serverKey.toString());
        properties.put("status.auth.metrics-open", true);
        properties.put("status.answer-write-timeout", "1s");
        int sent = 20_000;
        try (RunningAgent agent = new RunningAgent(properties); AuditCapture audit = new AuditCapture()) {
            SSLSocket hammer = (SSLSocket) trusting(pki.serverCert).getSocketFactory().createSocket();
            hammer.setReceiveBufferSize(4096);
            hammer.connect(new InetSocketAddress("127.0.0.1", agent.port()));
            hammer.startHandshake();
            byte[] one = "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < sent; i++) {
                        hammer.getOutputStream().write(one);
                    }
                } catch (IOException e) {
                    // the agent closed the connection: expected
                }
            });
            writer.setDaemon(true);
            writer.start();
            // A well-behaved HTTPS client is served until the agent has stopped answering the hammer
            // for twice the write timeout (it has given up on it).
            long handled = -1;
            long stillSince = System.nanoTime();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() - stillSince < TimeUnit.SECONDS.toNanos(2) && System.nanoTime() < deadline) {
                Curl.Answer health = Curl.get("--cacert", pki.serverCert.toString(), "https://localhost:" + agent.port() + "/health");
                assertEquals(200, health.status(), "another client's /health while the hammer is stalled: " + health);
                Thread.sleep(100);
                long now = metricsAudited(audit);
                if (now != handled) {
                    handled = now;
                    stillSince = System.nanoTime();
                }
            }
            writer.join(10_000);
            assertFalse(writer.isAlive(), "the agent stopped reading, then closed the connection: the writer's write failed");
            hammer.setSoTimeout(5_000);
            InputStream in = hammer.getInputStream();
            byte[] buffer = new byte[65536];
            try {
                while (in.read(buffer) != -1) {
                    // what the buffers held when the agent gave up on the client
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the agent kept the non-reading HTTPS connection open", e);
            } catch (IOException e) {
                // reset, or the TLS session ended without close_notify: closed
            }
            hammer.close();
            Thread.sleep(500); // requests in flight at the close are audited when the connection ends
            handled = metricsAudited(audit);
            assertTrue(handled > 0 && handled < sent / 10, "requests handled for an HTTPS client that never read: " + handled + " of " + sent);
            assertEquals(200, Curl.get("--cacert", pki.serverCert.toString(), "https://localhost:" + agent.port() + "/health").status());
        }
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("agent", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static long metricsAudited(AuditCapture audit) {
        return audit.entries().stream().filter(entry -> entry.path("path").asText().equals("/metrics")).count();
    }
}
