package ai.chutes.status.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: no client library in between that would
 * refuse, normalise or re-encode a hostile request.
 */
final class RawHttp {

    /** What came back: an HTTP status and body, or nothing but a closed connection ({@code status == 0}). */
    record Outcome(int status, String body, boolean timedOut) {

        boolean closed() {
            return status == 0 && !timedOut;
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} (which should ask for {@code Connection: close}) and reads to the end. */
    static Outcome exchange(int port, byte[] request, Duration timeout) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The agent may answer and close before a huge request is fully written; read what came.
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            return new Outcome(0, "", false);
        }
    }

    /** Reads one response to the end of the connection (or of its Content-Length). */
    static Outcome read(InputStream in) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        boolean timedOut = false;
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                received.write(buffer, 0, n);
                if (complete(received.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            timedOut = true;
        } catch (IOException e) {
            // reset by the agent: whatever arrived before counts
        }
        return parse(received.toString(StandardCharsets.UTF_8), timedOut);
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        int at = head.indexOf("\ncontent-length:");
        if (at < 0) {
            return false;
        }
        int lineEnd = head.indexOf('\r', at + 1);
        long length = Long.parseLong(head.substring(at + 16, lineEnd < 0 ? head.length() : lineEnd).trim());
        return text.length() - end - 4 >= length;
    }

    private static Outcome parse(String text, boolean timedOut) {
        if (!text.startsWith("HTTP/1.")) {
            return new Outcome(0, text, timedOut);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        int end = text.indexOf("\r\n\r\n");
        return new Outcome(status, end < 0 ? "" : text.substring(end + 4), timedOut);
    }
}
