package ai.chutes.collector;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * One guest agent as the collector sees it on the wire: a real TCP or unix connection, a random
 * instance, seq counting up, lifecycle on every change and an overview heartbeat.
 */
final class SimulatedGuest implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    final String agentId;
    final String instance;
    private final Socket socket;
    private final OutputStream out;
    private long seq;
    private volatile String state = "booting";
    private volatile boolean dead;

    private SimulatedGuest(String agentId, Socket socket) throws IOException {
        this.agentId = agentId;
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        this.instance = HexFormat.of().formatHex(bits);
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    static SimulatedGuest tcp(String agentId, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setTcpNoDelay(true);
        return new SimulatedGuest(agentId, socket);
    }

    static SimulatedGuest unix(String agentId, Path path) throws IOException {
        return new SimulatedGuest(agentId, AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path)));
    }

    /** Sends a lifecycle message; returns when it was written. */
    synchronized Instant lifecycle(String newState, String message) throws IOException {
        state = newState;
        return send("lifecycle", "{\"state\":\"" + newState + "\",\"message\":\"" + message + "\",\"seq\":" + (++seq)
                + ",\"timestamp\":\"" + Instant.now() + "\",\"agent_id\":\"" + agentId + "\",\"instance\":\"" + instance + "\"}");
    }

    /** The overview heartbeat: two units (one failed when degraded) and one GPU. */
    synchronized void heartbeat() throws IOException {
        if (dead) {
            return;
        }
        boolean ok = !state.equals("degraded");
        send("overview", "{\"status\":\"" + (ok ? "ok" : "degraded") + "\",\"reasons\":" + (ok ? "[]" : "[\"k3s: failed/failed\"]") + ",\"services\":[" + unit("k3s", ok) + ","
                + unit("nvidia-persistenced", true) + "],\"gpu\":{\"command\":[\"nvidia-smi\"],\"exit_code\":0,"
                + "\"stdout\":\"\",\"stdout_lines\":[],\"stderr\":\"\",\"stdout_truncated\":false,\"stderr_truncated\":false,"
                + "\"detail\":false,\"gpu\":\"all\",\"status\":\"ok\",\"error\":null},\"gpus\":[" + gpu() + "],"
                + "\"timestamp\":\"" + Instant.now() + "\",\"seq\":" + (++seq) + ",\"agent_id\":\"" + agentId + "\"}");
    }

    /** Killed: the connection is gone and nothing more is sent. */
    synchronized void kill() throws IOException {
        dead = true;
        socket.close();
    }

    private Instant send(String type, String payload) throws IOException {
        out.write(("{\"type\":\"" + type + "\",\"payload\":" + payload + "}\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return Instant.now();
    }

    private static String unit(String id, boolean healthy) {
        return "{\"service\":{\"id\":\"" + id + "\",\"unit\":\"" + id + ".service\",\"description\":\"" + id + "\"},"
                + "\"status\":{\"load_state\":\"loaded\",\"active_state\":\"" + (healthy ? "active" : "failed")
                + "\",\"sub_state\":\"" + (healthy ? "running" : "failed") + "\",\"unit_file_state\":\"enabled\","
                + "\"main_pid\":" + (healthy ? 1234 : 0) + ",\"exit_code\":" + (healthy ? "0" : "1") + ",\"exit_status\":" + (healthy ? "0" : "1") + "},"
                + "\"healthy\":" + healthy + ",\"error\":null}";
    }

    /**
     * The typed sample the agent itself serves for the real H100 capture (its /overview's gpus[0] with the
     * demo's fake nvidia-smi), so the simulated overview meets schemas/gpu-sample.schema.json as the agent's does.
     */
    private static final String GPU_SAMPLE = readSample();

    private static String gpu() {
        return GPU_SAMPLE;
    }

    private static String readSample() {
        try (var in = SimulatedGuest.class.getResourceAsStream("/h100-gpu-sample.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("test resource h100-gpu-sample.json is missing", e);
        }
    }

    @Override
    public void close() throws IOException {
        kill();
    }
}
