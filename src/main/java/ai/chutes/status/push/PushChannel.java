package ai.chutes.status.push;

import ai.chutes.status.overview.Overview;
import ai.chutes.status.overview.OverviewSnapshots;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push channel's state machine: connect (dial the host, or accept the host's connection), send the
 * current state first, then whatever the outbox holds; on any failure close, back off, and connect
 * again. Producers only touch the bounded outbox, so a slow or dead host never blocks them.
 */
@Context
@Requires(property = "status.push.enabled", notEquals = "false")
public final class PushChannel {

    private static final Logger LOG = LoggerFactory.getLogger(PushChannel.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    private final PushSettings settings;
    private final Ndjson ndjson;
    private final Backoff backoff;
    private final Clock clock = Clock.systemUTC();
    private final Outbox outbox = new Outbox();
    /** Random per process start: the host tells a restart from two agents sharing one id by it. */
    private final String instance = AgentIdentity.newInstance();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong overviewsTaken = new AtomicLong();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            runnable -> daemon(runnable, "push-watchdog"));
    private final Thread link;
    private final HostRequests hostRequests;

    /** Orders state changes against close(): a change racing it once overwrote shutdown. */
    private final Object stateLock = new Object();
    private volatile boolean running = true;
    private volatile LifecycleState state = LifecycleState.BOOTING;
    private volatile String stateMessage = "starting";
    private volatile Overview latestOverview;
    private volatile PushConnection connection;
    private volatile ServerSocket server;

    public PushChannel(PushSettings settings, Ndjson ndjson, OverviewSnapshots overviews) {
        this.settings = settings;
        this.ndjson = ndjson;
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        this.hostRequests = new HostRequests(ndjson, outbox, () -> overviews.read().thenAccept(snapshot -> overview(snapshot.overview())));
        this.link = daemon(settings.mode() == PushSettings.Mode.DIAL ? this::dialLoop : this::listenLoop, "push-link");
    }

    @PostConstruct
    void start() {
        LOG.info("push: {} {} as agent '{}', every {} s", settings.mode() == PushSettings.Mode.DIAL ? "dialing" : "listening on",
                settings.address(), settings.agentId(), settings.interval().toMillis() / 1000.0);
        offerLifecycle();
        link.start();
    }

    /** Records a new lifecycle state and queues it for the host. */
    public void lifecycle(LifecycleState newState, String message) {
        synchronized (stateLock) {
            if (state == LifecycleState.SHUTDOWN) {
                return; // shutdown is the last word, whatever a refresh finishing meanwhile saw
            }
            state = newState;
            stateMessage = message;
            offerLifecycle();
        }
    }

    /** Records the newest overview and queues it, replacing an older unsent one; nothing after shutdown. */
    public void overview(Overview overview) {
        if (state == LifecycleState.SHUTDOWN) {
            return;
        }
        overviewsTaken.incrementAndGet();
        latestOverview = overview;
        outbox.offerOverview(overviewMessage(overview));
    }

    public LifecycleState state() {
        return state;
    }

    public String stateMessage() {
        return stateMessage;
    }

    public boolean connected() {
        PushConnection current = connection;
        return current != null && current.isOpen();
    }

    /** Messages waiting for the host; never more than a few, whatever the host does. */
    public int queued() {
        return outbox.size();
    }

    public long sentMessages() {
        return sent.get();
    }

    public long droppedMessages() {
        return outbox.dropped();
    }

    /** Overviews handed over: one per push cycle, plus answers to get_overview. */
    public long overviewsTaken() {
        return overviewsTaken.get();
    }

    public long connectionsOpened() {
        return connects.get();
    }

    /** Dials that failed (dial mode); each is followed by a backoff delay. */
    public long connectFailures() {
        return connectFailures.get();
    }

    /** On SIGTERM (context close): tell the host {@code shutdown} as the last line, then close. */
    @PreDestroy
    void close() {
        Optional<byte[]> line;
        synchronized (stateLock) {
            state = LifecycleState.SHUTDOWN;
            stateMessage = "the agent is stopping";
            line = encode(lifecycleMessage());
        }
        // The link keeps running until the last line is out: stopped first, it closed the connection
        // under this method (seen in a full test run). A link that sees SHUTDOWN neither reconnects nor warns.
        PushConnection current = connection;
        if (current != null && current.isOpen() && line.isPresent()) {
            try {
                if (current.sendLast(line.get(), SHUTDOWN_GRACE)) {
                    LOG.info("push: sent shutdown to {}", settings.address());
                } else {
                    LOG.warn("push: could not send shutdown to {} before closing", settings.address());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running = false;
        closeServer();
        link.interrupt();
        watchdog.shutdownNow();
    }

    private void dialLoop() {
        int failures = 0;
        String lastProblem = null;
        while (live()) {
            Socket socket;
            try {
                socket = PushSockets.dial(settings.address(), CONNECT_TIMEOUT);
            } catch (IOException | RuntimeException e) {
                connectFailures.incrementAndGet();
                String problem = String.valueOf(e.getMessage());
                if (!problem.equals(lastProblem)) {
                    LOG.warn("push: cannot reach the host collector at {}: {} (retrying with backoff)", settings.address(), problem);
                    lastProblem = problem;
                }
                sleep(backoff.delay(failures++));
                continue;
            }
            failures = 0;
            lastProblem = null;
            serve(socket);
            sleep(backoff.delay(0));
        }
    }

    /** Neither stopped nor saying shutdown: the link may (re)connect and serve. */
    private boolean live() {
        return running && state != LifecycleState.SHUTDOWN;
    }

    private void listenLoop() {
        int failures = 0;
        while (live()) {
            try (ServerSocket bound = PushSockets.listen(settings.address())) {
                server = bound;
                failures = 0;
                LOG.info("push: listening on {}", settings.address());
                while (live()) {
                    serve(bound.accept());
                }
            } catch (IOException | RuntimeException e) {
                if (live()) {
                    LOG.warn("push: cannot listen on {}: {} (retrying with backoff)", settings.address(), e.getMessage());
                    sleep(backoff.delay(failures++));
                }
            } finally {
                server = null;
            }
        }
    }

    /** Runs one connection until it fails: current state first, then the outbox, host requests beside. */
    private void serve(Socket socket) {
        Object peer = socket.getRemoteSocketAddress();
        try (PushConnection current = new PushConnection(socket, settings.writeTimeout(), watchdog)) {
            connection = current;
            connects.incrementAndGet();
            LOG.info("push: connected to {}{}", settings.address(), peer == null ? "" : " (" + peer + ")");
            outbox.clear();
            write(current, lifecycleMessage());
            Overview latest = latestOverview;
            if (latest != null) {
                write(current, overviewMessage(latest));
            }
            Thread reader = daemon(() -> hostRequests.serve(current), "push-reader");
            reader.start();
            while (running && current.isOpen()) {
                Outgoing next = outbox.poll(POLL);
                if (next != null && running) {
                    write(current, next);
                }
            }
        } catch (IOException e) {
            if (live()) {
                LOG.warn("push: connection to {} lost: {}", settings.address(), e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connection = null;
        }
    }

    private void write(PushConnection current, Outgoing message) throws IOException {
        Optional<byte[]> line = encode(message);
        if (line.isEmpty()) {
            LOG.error("push: a {} message was larger than 1 MiB and was not sent (its seq is skipped)", message.type());
            return;
        }
        current.send(line.get());
        sent.incrementAndGet();
    }

    private Optional<byte[]> encode(Outgoing message) {
        long number = message.sequenced() ? seq.incrementAndGet() : 0;
        return ndjson.encode(message.type(), message.payload().apply(number));
    }

    private void offerLifecycle() {
        outbox.offerLifecycle(lifecycleMessage());
    }

    private Outgoing lifecycleMessage() {
        String name = state.wireName();
        String message = stateMessage;
        String timestamp = clock.instant().toString();
        return new Outgoing("lifecycle", true,
                number -> new Payloads.Lifecycle(name, message, number, timestamp, settings.agentId(), instance));
    }

    private Outgoing overviewMessage(Overview overview) {
        return new Outgoing("overview", true, number -> new Payloads.OverviewMessage(overview, number, settings.agentId()));
    }

    private void closeServer() {
        ServerSocket bound = server;
        if (bound != null) {
            try {
                bound.close();
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
    }

    private void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
