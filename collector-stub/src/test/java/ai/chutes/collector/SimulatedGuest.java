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
        send("overview", "{\"status\":\"" + (ok ? "ok" : "degraded") + "\",\"services\":[" + unit("k3s", ok) + ","
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

    /** An H100 sample with the fields nvidia-smi --query-gpu gives (schemas/gpu-sample.schema.json). */
    private static String gpu() {
        return "{\"index\":0,\"uuid\":\"GPU-6f1c5d2e-0b7a-4c1e-9d55-2a9e3f1b7c10\",\"name\":\"NVIDIA H100 80GB HBM3\","
                + "\"pci_bus_id\":\"00000000:18:00.0\",\"driver_version\":\"550.54.15\",\"vbios_version\":\"96.00.89.00.01\","
                + "\"compute_cap\":\"9.0\",\"utilization_gpu_ratio\":0.0,\"utilization_memory_ratio\":0.0,"
                + "\"memory_total_bytes\":85520809984,\"memory_used_bytes\":0,\"memory_free_bytes\":85520809984,"
                + "\"temperature_gpu_celsius\":31,\"power_draw_watts\":70.5,\"enforced_power_limit_watts\":700,"
                + "\"clocks_sm_hz\":345000000,\"clocks_memory_hz\":2619000000,\"clocks_graphics_hz\":345000000,\"pstate\":0,"
                + "\"ecc_errors_corrected_volatile_total\":0,\"ecc_errors_uncorrected_volatile_total\":0,"
                + "\"ecc_errors_corrected_aggregate_total\":0,\"ecc_errors_uncorrected_aggregate_total\":0}";
    }

    @Override
    public void close() throws IOException {
        kill();
    }
}
