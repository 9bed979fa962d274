package ai.chutes.collector;

import ai.chutes.status.push.BoundedLineReader;
import ai.chutes.status.push.PushAddress;
import ai.chutes.status.push.PushPeers;
import ai.chutes.status.push.PushSockets;
import ai.chutes.status.push.Wire;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives agents' NDJSON lines over vsock, TCP or a unix socket (listening, or dialing one agent),
 * validates each against the schemas, records it, and prints what an operator needs to see.
 */
final class Collector implements AutoCloseable {

    private static final Duration DIAL_RETRY = Duration.ofSeconds(1);
    /** Hundreds of guests reconnect at once after a host restart; the kernel caps it at somaxconn. */
    private static final int BACKLOG = 1024;

    private final StubOptions options;
    private final PrintStream out;
    private final Clock clock;
    private final List<PushAddress> addresses;
    private final ObjectMapper json = new ObjectMapper();
    private final MessageValidator validator = new MessageValidator();
    private final Fleet fleet;
    private final Recorder recorder;
    private final EventStream events = new EventStream();
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final PrintStream err;
    private volatile HttpApi http;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, runnable -> daemon(runnable, "stub-timer"));
    private volatile boolean running = true;
    private final List<ServerSocket> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

    Collector(StubOptions options, PrintStream out, Clock clock) {
        this(options, out, out, clock);
    }

    /** With {@code --json}, {@code out} gets the events only and {@code err} the collector's own lines. */
    Collector(StubOptions options, PrintStream out, PrintStream err, Clock clock) {
        this.options = options;
        this.out = out;
        this.err = options.json() ? err : out;
        this.clock = clock;
        this.addresses = options.addresses().stream().map(a -> PushAddress.parse(a, OptionalInt::empty)).toList();
        this.recorder = new Recorder(options.record());
        this.fleet = new Fleet(options.interval(), options.forgetAfter(), options.maxAgents());
    }

    void start() throws IOException {
        if (options.listen()) {
            for (PushAddress address : addresses) {
                ServerSocket server = PushSockets.listen(address, BACKLOG);
                servers.add(server);
                print("collector listening on " + address);
                daemon(() -> acceptLoop(server), "stub-accept").start();
            }
        } else {
            print("collector dialing " + addresses.get(0));
            daemon(this::dialLoop, "stub-dial").start();
        }
        if (options.http() != null) {
            http = new HttpApi(options.http(), fleet, events, this::counts, clock);
            http.start();
            print("collector serving http://127.0.0.1:" + http.port() + " (/metrics /agents /events)");
        }
        timers.scheduleWithFixedDelay(() -> fleet.sweep(clock.instant()).forEach(this::emit), 200, 200, TimeUnit.MILLISECONDS);
        if (options.pingEvery() != null) {
            long every = options.pingEvery().toMillis();
            timers.scheduleWithFixedDelay(() -> sendToAll("ping"), every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends a host request ({@code ping} or {@code get_overview}) on every open connection. */
    void sendToAll(String type) {
        links.forEach(link -> link.send(type));
    }

    private void acceptLoop(ServerSocket server) {
        while (running) {
            try {
                serve(server.accept());
            } catch (IOException e) {
                if (running) {
                    print("accept failed: " + e.getMessage());
                    sleep(Duration.ofMillis(100));
                }
            }
        }
    }

    private void dialLoop() {
        while (running) {
            try {
                Link link = serve(PushSockets.dial(addresses.get(0), Duration.ofSeconds(5)));
                link.reader.join();
            } catch (IOException e) {
                sleep(DIAL_RETRY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Link serve(Socket socket) {
        Link link = new Link(socket);
        links.add(link);
        print("connection from " + link.peer);
        options.send().forEach(link::send);
        link.reader.start();
        return link;
    }

    private void receive(Link link, BoundedLineReader.Line line) {
        lines.incrementAndGet();
        if (line.tooLong()) {
            refuse(link.label() + " INVALID: a line longer than 1 MiB");
            return;
        }
        String text = new String(line.bytes(), StandardCharsets.UTF_8);
        try {
            recorder.append(text);
        } catch (IOException e) {
            print("cannot record to " + options.record() + ": " + e.getMessage());
        }
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (IOException e) {
            refuse(link.label() + " INVALID: not JSON: " + MessageValidator.abbreviate(text));
            return;
        }
        // Nothing of a line is used before it passed its schema (the agent_id pattern included).
        String type = message == null ? "" : message.path("type").asText();
        List<String> problems = validator.problems(type, text);
        if (!problems.isEmpty()) {
            refuse(link.label() + " INVALID " + MessageValidator.abbreviate(type) + ": "
                    + MessageValidator.abbreviate(String.join("; ", problems), 400));
            return;
        }
        if (options.verbose() && type.equals("overview")) {
            print(message.path("payload").path("agent_id").asText() + " overview seq=" + message.path("payload").path("seq").asLong()
                    + " status=" + message.path("payload").path("status").asText());
        }
        List<FleetEvent> happened = new ArrayList<>(2);
        link.key = fleet.observe(link.peer, link.key, message, clock.instant(), happened);
        happened.forEach(this::emit);
    }

    private void refuse(String line) {
        refused.incrementAndGet();
        print(line);
    }

    /** An event goes to the /events followers and to the terminal (a line, or its JSON with --json). */
    private void emit(FleetEvent event) {
        events.publish(event);
        if (!options.json()) {
            print(event.line());
        } else {
            printTo(out, event.json());
        }
    }

    private MetricsText.Counts counts() {
        return new MetricsText.Counts(lines.get(), refused.get(), fleet.dropped(), links.size(), events.followers(),
                events.cutOff());
    }

    Fleet fleet() {
        return fleet;
    }

    /** The HTTP listener's port (0 without --http). */
    int httpPort() {
        return http == null ? 0 : http.port();
    }

    /** Every printed line passes here: whatever an agent put in it is escaped. */
    private void print(String line) {
        printTo(err, Instant.now(clock) + " " + line);
    }

    private synchronized void printTo(PrintStream stream, String line) {
        stream.println(Escape.text(line));
        stream.flush();
    }

    @Override
    public void close() {
        running = false;
        timers.shutdownNow();
        if (http != null) {
            http.close();
        }
        for (ServerSocket server : servers) {
            try {
                server.close();
            } catch (IOException ignored) {
                // going away
            }
        }
        links.forEach(Link::close);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One agent connection: a reader thread, and writes of host requests. */
    private final class Link {
        final Socket socket;
        /** The transport peer as the kernel reports it: the guest's identity beside its agent_id. */
        final String peer;
        final Thread reader;
        /** The guest this connection speaks for, from its first valid lifecycle or overview. */
        volatile GuestKey key;

        Link(Socket socket) {
            this.socket = socket;
            this.peer = PushPeers.describe(socket);
            this.reader = daemon(this::read, "stub-reader");
        }

        String label() {
            GuestKey bound = key;
            return bound != null ? bound.agentId() : peer;
        }

        void read() {
            try {
                BoundedLineReader lines = new BoundedLineReader(socket.getInputStream(), Wire.MAX_LINE_BYTES);
                BoundedLineReader.Line line;
                while ((line = lines.next()) != null) {
                    receive(this, line);
                }
            } catch (IOException e) {
                // the agent went away
            } finally {
                links.remove(this);
                close();
                fleet.disconnected(key);
                print(label() + " disconnected");
            }
        }

        synchronized void send(String type) {
            try {
                OutputStream stream = socket.getOutputStream();
                stream.write(Wire.hostRequest(type).getBytes(StandardCharsets.UTF_8));
                stream.flush();
            } catch (IOException e) {
                print(label() + " cannot send " + type + ": " + e.getMessage());
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
