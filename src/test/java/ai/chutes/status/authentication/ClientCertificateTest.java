package ai.chutes.status.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.audit.AuditCapture;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS over a real HTTPS socket, with certificates made by openssl in the test and curl as the
 * client. The client CA is given as a PEM file; the certificate's subject becomes the caller.
 */
class ClientCertificateTest {

    @TempDir
    Path dir;
    private TestCertificates pki;

    @BeforeEach
    void certificates() {
        pki = new TestCertificates(dir);
    }

    private RunningAgent agent(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(new FakeBinaries(dir).properties());
        properties.put("status.tls.cert-path", pki.serverCert.toString());
        properties.put("status.tls.key-path", pki.serverKey.toString());
        properties.put("status.tls.client-ca-path", pki.clientCa.toString());
        properties.putAll(extra);
        return new RunningAgent(properties);
    }

    private Curl.Answer curl(RunningAgent agent, String path, Path cert, Path key, String... more) {
        List<String> args = new ArrayList<>(List.of("--cacert", pki.serverCert.toString()));
        if (cert != null) {
            args.addAll(List.of("--cert", cert.toString(), "--key", key.toString()));
        }
        args.addAll(List.of(more));
        args.add("https://localhost:" + agent.port() + path);
        return Curl.get(args.toArray(String[]::new));
    }

    @Test
    void requiredClientCertificateIsTheCallersIdentity() {
        try (RunningAgent agent = agent(Map.of()); AuditCapture audit = new AuditCapture()) {
            Curl.Answer signed = curl(agent, "/services/k3s/status", pki.clientCert, pki.clientKey);
            assertEquals(200, signed.status(), signed.body());
            JsonSchemas.assertValid("service-status.schema.json", signed.body());
            JsonNode entry = audit.await(AuditCapture.path("/services/k3s/status"));
            assertEquals("cert:CN=prometheus,O=ops", entry.path("caller").asText());
            assertEquals("https", entry.path("listener").asText());
            assertEquals("allowed", entry.path("access").asText());
            assertTrue(entry.path("commands").get(0).get(0).asText().equals("systemctl"), entry.toString());

            Curl.Answer none = curl(agent, "/health", null, null);
            assertEquals(0, none.status(), "no certificate: the handshake fails, even for /health");
            assertNotEquals(0, none.exitCode());
            Curl.Answer stranger = curl(agent, "/services", pki.strangerCert, pki.strangerKey);
            assertEquals(0, stranger.status(), "a certificate the CA did not sign is refused at the handshake");
            assertNotEquals(0, stranger.exitCode());
            assertEquals(200, curl(agent, "/health", pki.clientCert, pki.clientKey).status(), "still serving");
        }
    }

    @Test
    void optionalClientCertificateLetsATokenStandIn() throws Exception {
        Path tokens = TokenAuthTest.tokenFile(dir, TokenAuthTest.TOKEN);
        try (RunningAgent agent = agent(Map.of("status.tls.client-auth", "optional", "status.auth.token-file", tokens.toString()));
             AuditCapture audit = new AuditCapture()) {
            assertEquals(200, curl(agent, "/services", pki.clientCert, pki.clientKey).status(), "certificate alone");
            assertEquals(200, curl(agent, "/overview", null, null, "-H", "Authorization: Bearer " + TokenAuthTest.TOKEN).status(),
                    "token alone");
            Curl.Answer neither = curl(agent, "/services/k3s/logs", null, null);
            assertEquals(401, neither.status(), neither.body());
            assertEquals(200, curl(agent, "/health", null, null).status());
            assertNotEquals(0, curl(agent, "/services", pki.strangerCert, pki.strangerKey).exitCode(),
                    "optional still refuses a certificate it cannot verify");

            assertEquals("cert:CN=prometheus,O=ops", audit.await(AuditCapture.path("/services")).path("caller").asText());
            assertTrue(audit.await(AuditCapture.path("/overview")).path("caller").asText().startsWith("token:"));
            JsonNode refused = audit.await(AuditCapture.path("/services/k3s/logs"));
            assertEquals("unauthorized", refused.path("access").asText());
            assertEquals("addr:127.0.0.1", refused.path("caller").asText());
        }
    }

    @Test
    void optionalWithoutTokensRefusesCallersWithoutACertificate() {
        try (RunningAgent agent = agent(Map.of("status.tls.client-auth", "optional"))) {
            Curl.Answer none = curl(agent, "/services", null, null);
            assertEquals(403, none.status(), none.body());
            assertTrue(none.body().contains("\"error\":\"forbidden\""), none.body());
            assertEquals(200, curl(agent, "/services", pki.clientCert, pki.clientKey).status());
        }
    }
}
