package ai.chutes.status.push;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Agents with the push channel on, and the fakes and checks the push tests share. */
final class PushAgents {

    private PushAgents() {
    }

    /** One allowlisted unit, k3s, whose systemctl reports failed while {@code flag} exists. */
    static FakeBinaries flippingUnit(Path dir, Path flag) {
        Path running = FakeBinaries.fixture("systemd/show-running.txt");
        Path failed = FakeBinaries.fixture("systemd/show-failed.txt");
        return new FakeBinaries(dir).script("systemctl",
                "if [ -e '" + flag + "' ]; then sed -e 1d -e '$d' '" + failed + "'; else sed -e 1d -e '$d' '" + running + "'; fi");
    }

    static RunningAgent start(FakeBinaries fakes, String address, String mode, Duration interval, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        properties.put("status.services", List.of(Map.of("id", "k3s", "unit", "k3s.service")));
        properties.put("status.cache-ttl", "0s");
        properties.put("status.push.enabled", true);
        properties.put("status.push.address", address);
        properties.put("status.push.mode", mode);
        properties.put("status.push.interval", interval.toMillis() + "ms");
        properties.put("status.push.backoff-initial", "50ms");
        properties.put("status.push.backoff-max", "300ms");
        properties.put("status.push.agent-id", "guest-test");
        properties.putAll(extra);
        return new RunningAgent(properties);
    }

    /** Dials an agent in listen mode, retrying while it is still binding. */
    static Socket dialAgent(String address) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                if (address.startsWith("unix://")) {
                    return PushEndToEndTest.unixSocket(Path.of(address.substring(7)));
                }
                String[] hostPort = address.substring(6).split(":");
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1000);
                return socket;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    static void assertSeqStrictlyIncreasing(List<JsonNode> messages) {
        long last = 0;
        for (JsonNode message : messages) {
            JsonNode seq = message.path("payload").path("seq");
            if (seq.isMissingNode()) {
                continue;
            }
            if (seq.asLong() <= last) {
                fail("seq " + seq.asLong() + " after " + last + " in " + messages);
            }
            last = seq.asLong();
        }
        assertTrue(last > 0, "no sequenced message");
    }
}
