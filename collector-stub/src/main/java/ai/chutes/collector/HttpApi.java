package ai.chutes.collector;

import ai.chutes.status.push.AgentIdentity;
import ai.chutes.status.push.PushAddress;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * What the collector knows, for Prometheus and the orchestrator, on a loopback HTTP listener:
 * {@code GET /metrics}, {@code /agents}, {@code /agents/{agent_id}} and {@code /events} (NDJSON
 * stream). Read-only: anything but GET and HEAD is 405; no request body is read.
 */
final class HttpApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Followers of /events hold a thread each; the rest answer the short requests. */
    private static final int THREADS = EventStream.MAX_FOLLOWERS + 8;

    private final HttpServer server;
    private final ExecutorService threads;
    private final Fleet fleet;
    private final EventStream events;
    private final Supplier<MetricsText.Counts> counts;
    private final Clock clock;

    static {
        // each /events line is a small write: without TCP_NODELAY, Nagle and the client's delayed ACK
        // hold it back by tens of milliseconds (read once, when the JDK's server first starts)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    HttpApi(String address, Fleet fleet, EventStream events, Supplier<MetricsText.Counts> counts, Clock clock) throws IOException {
        this.fleet = fleet;
        this.events = events;
        this.counts = counts;
        this.clock = clock;
        PushAddress parsed = PushAddress.parse(address, OptionalInt::empty);
        if (parsed.transport() != PushAddress.Transport.TCP || !InetAddress.getByName(parsed.host()).isLoopbackAddress()) {
            throw new IllegalArgumentException("--http serves on loopback TCP only, as in tcp://127.0.0.1:9464");
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(parsed.host()), parsed.port()), 256);
        threads = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "collector-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "application/json", error("only GET and HEAD"));
            } else if (path.equals("/metrics")) {
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                        MetricsText.render(fleet.views(clock.instant()), counts.get()));
            } else if (path.equals("/agents")) {
                send(exchange, 200, "application/json", agents());
            } else if (path.startsWith("/agents/")) {
                agent(exchange, path.substring("/agents/".length()));
            } else if (path.equals("/events")) {
                follow(exchange);
            } else {
                send(exchange, 404, "application/json", error("no such resource"));
            }
        }
    }

    private String agents() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("guests");
        for (Guest.View g : fleet.views(clock.instant())) {
            ObjectNode guest = list.addObject();
            guest.put("peer", g.key().peer());
            guest.put("agent_id", g.key().agentId());
            guest.put("instance", g.key().instance());
            guest.put("state", g.state());
            guest.put("message", g.message());
            guest.put("silent", g.silent());
            guest.put("connected", g.connected());
            guest.put("duplicate", g.duplicate());
            guest.put("last_message", g.lastMessage().toString());
            guest.put("seq", g.seq());
            guest.put("seq_gaps", g.seqGaps());
            guest.put("restarts", g.restarts());
            guest.put("overview_status", g.overviewStatus());
        }
        body.put("dropped", fleet.dropped());
        return body.toString();
    }

    /** The latest overview of the one guest with that agent_id (?instance= picks among duplicates). */
    private void agent(HttpExchange exchange, String agentId) throws IOException {
        if (!AgentIdentity.VALID.matcher(agentId).matches()) {
            send(exchange, 404, "application/json", error("no such agent"));
            return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        String instance = query != null && query.matches("instance=[0-9a-f]{1,32}") ? query.substring(9) : null;
        List<Guest.View> matches = fleet.views(clock.instant()).stream()
                .filter(g -> g.key().agentId().equals(agentId) && (instance == null || g.key().instance().equals(instance)))
                .toList();
        if (matches.isEmpty()) {
            send(exchange, 404, "application/json", error("no such agent"));
        } else if (matches.size() > 1) {
            send(exchange, 409, "application/json", error("agent_id used by " + matches.size()
                    + " guests; choose one with ?instance= (see GET /agents)"));
        } else if (matches.get(0).overview() == null) {
            send(exchange, 404, "application/json", error("no overview received from this agent yet"));
        } else {
            send(exchange, 200, "application/json", matches.get(0).overview());
        }
    }

    private void follow(HttpExchange exchange) throws IOException {
        EventStream.Follower follower = events.follow();
        if (follower == null) {
            send(exchange, 503, "application/json", error("too many followers of /events"));
            return;
        }
        try (follower) {
            exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            if (exchange.getRequestMethod().equals("HEAD")) {
                return;
            }
            OutputStream body = exchange.getResponseBody();
            body.flush();
            while (!follower.overflowed()) {
                String line = follower.next(1000);
                if (line != null) {
                    body.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    body.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head) {
            exchange.getResponseBody().write(body);
        }
    }

    private static String error(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
