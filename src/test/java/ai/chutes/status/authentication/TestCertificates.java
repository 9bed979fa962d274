package ai.chutes.status.authentication;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made with openssl for one test: the server's own (self-signed, for localhost), a client
 * CA, a client certificate it signed, and a client certificate from nobody the agent trusts.
 */
public final class TestCertificates {

    public final Path serverCert;
    public final Path serverKey;
    public final Path clientCa;
    public final Path clientCert;
    public final Path clientKey;
    public final Path strangerCert;
    public final Path strangerKey;

    public TestCertificates(Path dir) {
        serverCert = dir.resolve("server.pem");
        serverKey = dir.resolve("server.key");
        clientCa = dir.resolve("client-ca.pem");
        Path caKey = dir.resolve("client-ca.key");
        clientCert = dir.resolve("client.pem");
        clientKey = dir.resolve("client.key");
        Path request = dir.resolve("client.csr");
        strangerCert = dir.resolve("stranger.pem");
        strangerKey = dir.resolve("stranger.key");
        selfSigned(serverKey, serverCert, "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        selfSigned(caKey, clientCa, "/CN=status clients CA", "basicConstraints=critical,CA:TRUE");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/O=ops/CN=prometheus",
                "-keyout", clientKey.toString(), "-out", request.toString());
        openssl("x509", "-req", "-in", request.toString(), "-CA", clientCa.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-days", "1", "-out", clientCert.toString());
        selfSigned(strangerKey, strangerCert, "/O=ops/CN=prometheus", "basicConstraints=CA:FALSE");
    }

    private static void selfSigned(Path key, Path cert, String subject, String extension) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                "-subj", subject, "-addext", extension, "-keyout", key.toString(), "-out", cert.toString());
    }

    private static void openssl(String... args) {
        List<String> argv = new ArrayList<>(List.of("openssl"));
        argv.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + argv + "\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("openssl is needed for this test", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
