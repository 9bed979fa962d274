package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.audit.AuditCapture;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A client that pipelines one request over and over and never reads an answer (plain TCP or TLS, as
 * the socket given), and what the agent must do about it: stop reading it once its answers back up,
 * close it after {@code status.answer-write-timeout}, and serve everyone else meanwhile.
 */
final class NonReadingClient {

    /** What another, well-behaved client checks while the hammer is stalled. */
    interface Served {
        void check() throws Exception;
    }

    private NonReadingClient() {
    }

    /**
     * Writes {@code sent} copies of {@code request} on {@code hammer} from a second thread, never
     * reading, and runs {@code served} every 100 ms until the agent has handled none of them (the
     * audit log's lines for {@code path}) for 2 s: a fixed wait is not enough, since a cold agent may
     * not yet have filled the kernel's buffers. Then the writer's write has failed (the agent closed
     * the connection), the connection ends within 5 s, and under a tenth of the requests were handled.
     */
    static void assertStalledThenClosed(Socket hammer, String request, String path, int sent, AuditCapture audit,
                                        Served served) throws Exception {
        byte[] one = request.getBytes(StandardCharsets.US_ASCII);
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
        long handled = -1;
        long stillSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - stillSince < TimeUnit.SECONDS.toNanos(2) && System.nanoTime() < deadline) {
            served.check();
            Thread.sleep(100);
            long now = audited(audit, path);
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
            throw new AssertionError("the agent kept the non-reading connection open", e);
        } catch (IOException e) {
            // reset (or a TLS session ended without close_notify): closed
        }
        hammer.close();
        Thread.sleep(500); // requests in flight at the close are audited when the connection ends
        handled = audited(audit, path);
        assertTrue(handled > 0 && handled < sent / 10, "requests handled for a client that never read: " + handled + " of " + sent);
    }

    private static long audited(AuditCapture audit, String path) {
        return audit.entries().stream().filter(entry -> entry.path("path").asText().equals(path)).count();
    }
}
