package ai.chutes.status.push;

import static org.junit.jupiter.api.Assertions.fail;

import ai.chutes.status.JsonSchemas;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The host's end of one push connection, as a real socket peer: reads every line the agent sends,
 * validates it against schemas/push-TYPE.schema.json, and lets the test wait for a message.
 */
final class HostPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> all = new CopyOnWriteArrayList<>();
    private final List<String> invalid = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean ended;

    HostPeer(Socket socket) {
        this.socket = socket;
        this.reader = new Thread(this::read, "host-peer");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonNode message = JSON.readTree(line);
                String type = message.path("type").asText();
                try {
                    JsonSchemas.assertValid("push-" + type.replace('_', '-') + ".schema.json", line);
                } catch (AssertionError | IllegalArgumentException e) {
                    invalid.add(e.getMessage());
                }
                all.add(message);
                inbox.add(message);
            }
        } catch (IOException e) {
            // the agent closed the connection, or the test did
        } finally {
            ended = true;
        }
    }

    /** The next message matching {@code wanted}, skipping others; fails after {@code timeout}. */
    JsonNode await(Predicate<JsonNode> wanted, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode next = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                fail("no " + what + " within " + timeout.toMillis() + " ms; received: " + summary());
            }
            if (wanted.test(next)) {
                return next;
            }
        }
    }

    JsonNode next(Duration timeout) throws InterruptedException {
        JsonNode next = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (next == null) {
            fail("no message within " + timeout.toMillis() + " ms; received: " + summary());
        }
        return next;
    }

    static Predicate<JsonNode> lifecycle(String state) {
        return m -> m.path("type").asText().equals("lifecycle") && m.path("payload").path("state").asText().equals(state);
    }

    static Predicate<JsonNode> type(String type) {
        return m -> m.path("type").asText().equals(type);
    }

    void send(String line) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void send(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** Every message received so far, in order. */
    List<JsonNode> received() {
        return List.copyOf(all);
    }

    /** Schema violations seen so far (the test asserts there are none). */
    List<String> invalidMessages() {
        return List.copyOf(invalid);
    }

    boolean ended() {
        return ended;
    }

    void awaitEnd(Duration timeout) throws InterruptedException {
        reader.join(timeout.toMillis());
        if (!ended) {
            fail("the agent did not close the connection within " + timeout.toMillis() + " ms");
        }
    }

    private String summary() {
        StringBuilder text = new StringBuilder();
        for (JsonNode message : all) {
            text.append(message.path("type").asText());
            if (message.path("payload").has("state")) {
                text.append('(').append(message.path("payload").path("state").asText()).append(')');
            }
            text.append(' ');
        }
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
