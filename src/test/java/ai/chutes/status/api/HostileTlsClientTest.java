package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.audit.AuditCapture;
import ai.chutes.status.authentication.Curl;
import ai.chutes.status.authentication.TestCertificates;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener against a client that pipelines requests inside TLS and never reads an answer
 * ({@link NonReadingClient}; the plain-TCP case is in {@link HostileFramingTest}). TLS keeps records
 * of its own between the socket and the handler that stops reading, so the plain case does not imply
 * this one.
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
        try (RunningAgent agent = new RunningAgent(properties); AuditCapture audit = new AuditCapture()) {
            SSLSocket hammer = (SSLSocket) trusting(pki.serverCert).getSocketFactory().createSocket();
            hammer.setReceiveBufferSize(4096);
            hammer.connect(new InetSocketAddress("127.0.0.1", agent.port()));
            hammer.startHandshake();
            NonReadingClient.assertStalledThenClosed(hammer, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n", "/metrics",
                    20_000, audit, () -> {
                        Curl.Answer health = Curl.get("--cacert", pki.serverCert.toString(), "https://localhost:" + agent.port() + "/health");
                        assertEquals(200, health.status(), "another client's /health while the hammer is stalled: " + health);
                    });
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
}
