package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.audit.AuditCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adversarial suite's connection-level cases (with {@link HostileRequestsTest}): request smuggling
 * through ambiguous body framing, HTTP/1.0 without Host, and clients that pipeline requests and never
 * read the answers. Raw sockets, so no client library tidies the bytes.
 */
class HostileFramingTest {

    private static final String TRAILING = "GET /services HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] (\\d{3}) ");

    @TempDir
    Path dir;

    @Test
    void everyRequestAnnouncingABodyIsRefusedAndNothingAfterItIsRead() throws Exception {
        List<String> framings = List.of(
                "Transfer-Encoding: xchunked\r\n",
                "Transfer-Encoding: identity\r\n",
                "Transfer-Encoding: chunked\r\n",
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
                "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n",
                "Transfer-Encoding: chunked, identity\r\n",
                "Transfer-Encoding:\tchunked\r\n",
                "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n",
                "Content-Length: 5\r\n",
                "Content-Length: 0\r\nContent-Length: 5\r\n");
        List<String> failures = new ArrayList<>();
        int cases = 0;
        try (RunningAgent agent = new RunningAgent(new FakeBinaries(dir).properties())) {
            for (String method : List.of("POST", "PUT", "DELETE", "GET", "PATCH", "OPTIONS")) {
                for (String framing : framings) {
                    String request = method + " /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + framing + "\r\n0\r\n\r\n" + TRAILING;
                    Exchange exchange = Exchange.send(agent.port(), request, Duration.ofSeconds(5));
                    cases++;
                    String what = method + " with " + framing.replace("\r\n", "; ").replace("\t", "<tab>");
                    if (!exchange.statuses().equals(List.of(400))) {
                        failures.add(what + " -> answers " + exchange.statuses());
                    } else if (!exchange.closed()) {
                        failures.add(what + " -> connection left open");
                    } else {
                        JsonSchemas.assertValid("error.schema.json", exchange.lastBody());
                    }
                }
            }
            assertEquals(200, agent.get("/health").status());
        }
        assertEquals(List.of(), failures, "of " + cases + " smuggling attempts");
    }

    @Test
    void http10WithoutHostIsServed() throws Exception {
        try (RunningAgent agent = new RunningAgent(new FakeBinaries(dir).properties())) {
            Exchange health = Exchange.send(agent.port(), "GET /health HTTP/1.0\r\n\r\n", Duration.ofSeconds(5));
            assertEquals(List.of(200), health.statuses(), health.text);
            assertEquals("{\"status\":\"ok\"}", health.lastBody());
            for (String method : List.of("OPTIONS", "POST", "DELETE")) {
                Exchange refused = Exchange.send(agent.port(), method + " /health HTTP/1.0\r\n\r\n", Duration.ofSeconds(5));
                assertEquals(List.of(405), refused.statuses(), method + ": " + refused.text);
                JsonSchemas.assertValid("error.schema.json", refused.lastBody());
            }
            Exchange options = Exchange.send(agent.port(), "OPTIONS / HTTP/1.0\r\n\r\n", Duration.ofSeconds(5));
            assertTrue(options.statuses().equals(List.of(405)) || options.statuses().equals(List.of(404)), options.text);
            JsonSchemas.assertValid("error.schema.json", options.lastBody());
            // HTTP/1.1 still needs its Host header
            Exchange noHost = Exchange.send(agent.port(), "GET /health HTTP/1.1\r\n\r\n" + TRAILING, Duration.ofSeconds(5));
            assertEquals(List.of(400), noHost.statuses(), noHost.text);
            assertTrue(noHost.closed());
        }
    }

    @Test
    void aClientThatPipelinesAndNeverReadsGetsFewAnswersAndIsClosed() throws Exception {
        Map<String, Object> properties = new HashMap<>(new FakeBinaries(dir).properties());
        properties.put("status.auth.metrics-open", true);
        properties.put("status.answer-write-timeout", "1s");
        try (RunningAgent agent = new RunningAgent(properties); AuditCapture audit = new AuditCapture()) {
            Socket hammer = new Socket();
            hammer.setReceiveBufferSize(4096);
            hammer.connect(new java.net.InetSocketAddress("127.0.0.1", agent.port()));
            NonReadingClient.assertStalledThenClosed(hammer, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "/metrics",
                    20_000, audit, () -> assertEquals(200, agent.get("/health").status()));
            assertEquals(200, agent.get("/health").status());
        }
    }

    @Test
    void theUnixSocketRefusesSmugglingAndClosesNonReadingClients() throws Exception {
        Path socket = dir.resolve("status.sock");
        Map<String, Object> properties = new HashMap<>(new FakeBinaries(dir).properties());
        properties.put("status.uds-path", socket.toString());
        properties.put("status.uds-allowed-uids", "0," + Files.getOwner(Path.of("/proc/self")).getName());
        properties.put("status.answer-write-timeout", "1s");
        ExecutorService readers = Executors.newCachedThreadPool();
        try (RunningAgent agent = new RunningAgent(properties)) {
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                channel.write(ByteBuffer.wrap(("POST /health HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"
                        + TRAILING).getBytes(StandardCharsets.US_ASCII)));
                Future<String> answer = readers.submit(() -> readToEnd(channel));
                Exchange exchange = new Exchange(answer.get(5, TimeUnit.SECONDS), true);
                assertEquals(List.of(400), exchange.statuses(), exchange.text());
            }
            try (SocketChannel hammer = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                ByteBuffer requests = ByteBuffer.wrap("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".repeat(64)
                        .getBytes(StandardCharsets.US_ASCII));
                Future<Long> written = readers.submit(() -> {
                    long total = 0;
                    try {
                        while (true) {
                            total += hammer.write(requests.rewind());
                        }
                    } catch (IOException e) {
                        return total; // the agent closed the connection
                    }
                });
                long total = written.get(15, TimeUnit.SECONDS);
                assertTrue(total > 0, "the client wrote requests before the agent closed the connection");
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private static String readToEnd(SocketChannel channel) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (channel.read(buffer.clear()) != -1) {
                received.write(buffer.array(), 0, buffer.position());
            }
        } catch (IOException e) {
            // reset: closed
        }
        return received.toString(StandardCharsets.UTF_8);
    }

    /** One write of raw bytes, then everything the agent sends until it closes or falls silent. */
    private record Exchange(String text, boolean closed) {

        static Exchange send(int port, String request, Duration silence) throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout((int) silence.toMillis());
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                boolean closed;
                try {
                    for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                        received.write(buffer, 0, n);
                    }
                    closed = true;
                } catch (SocketTimeoutException e) {
                    closed = false;
                } catch (IOException e) {
                    closed = true; // reset
                }
                return new Exchange(received.toString(StandardCharsets.UTF_8), closed);
            }
        }

        List<Integer> statuses() {
            List<Integer> statuses = new ArrayList<>();
            Matcher matcher = STATUS_LINE.matcher(text);
            while (matcher.find()) {
                statuses.add(Integer.parseInt(matcher.group(1)));
            }
            return statuses;
        }

        String lastBody() {
            int end = text.lastIndexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }
}
