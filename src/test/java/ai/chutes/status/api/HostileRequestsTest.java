package ai.chutes.status.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.command.Commands;
import ai.chutes.status.gpu.GpuField;
import ai.chutes.status.gpu.GpuFieldTable;
import ai.chutes.status.systemd.ServiceAllowlist;
import ai.chutes.status.systemd.ServiceEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adversarial suite: over a thousand generated hostile requests ({@link HostileRequests}) and
 * slowloris clients, on raw sockets, against an agent with token auth on. Every request must get a 4xx
 * (or, for requests that are not well-formed HTTP, a closed connection) whose body is the error body
 * with no stack trace or host path; the agent must keep serving; and the fake binaries' argv log must
 * show no process started with anything the allowlist does not allow. The connection-level cases
 * (request smuggling, HTTP/1.0 without Host, clients that pipeline and never read, on TCP and the unix
 * socket) are in {@link HostileFramingTest}; a detached grandchild and a replaced JRE are in
 * {@code faults/}; secrets in URLs in the audit log in {@code audit/AuditLogTest}.
 */
class HostileRequestsTest {

    static final String TOKEN = "adversarial-suite-token-0123456789";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "java.", "io.micronaut", "io.netty", "/tmp", "/work",
            "/usr/", "/root", "/home/", "/etc/", "/proc/");

    @TempDir
    Path dir;

    @Test
    void everyHostileRequestIsRefusedAndNoUnexpectedProcessStarts() throws Exception {
        FakeBinaries fakes = new FakeBinaries(dir);
        Path tokens = Files.writeString(dir.resolve("tokens"), TOKEN + "\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        properties.put("status.auth.token-file", tokens.toString());
        properties.put("status.request-read-timeout", READ_TIMEOUT.toMillis() + "ms");
        List<HostileRequests.Case> cases = new HostileRequests(TOKEN).all();
        assertTrue(cases.size() >= 1000, "at least 1000 generated requests: " + cases.size());

        Tally tally = new Tally();
        try (RunningAgent agent = new RunningAgent(properties)) {
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                List<Future<Void>> sent = new ArrayList<>();
                for (HostileRequests.Case hostile : cases) {
                    sent.add(clients.submit(() -> {
                        tally.record(hostile, RawHttp.exchange(agent.port(), hostile.bytes(), Duration.ofSeconds(10)));
                        return null;
                    }));
                }
                for (Future<Void> future : sent) {
                    future.get();
                }
                assertEquals(200, agent.get("/health").status(), "the agent still serves after the requests");
                for (Callable<RawHttp.Outcome> slow : slowloris(agent.port())) {
                    sent.add(clients.submit(() -> {
                        tally.recordSlow(slow.call());
                        return null;
                    }));
                }
                for (Future<Void> future : sent) {
                    future.get();
                }
            } finally {
                clients.shutdownNow();
            }
            assertEquals(200, agent.get("/health").status(), "the agent still serves after the slowloris clients");
            RunningAgent.Reply valid = agent.send(java.net.http.HttpRequest.newBuilder(agent.uri("/services/k3s/status"))
                    .header("Authorization", "Bearer " + TOKEN).GET().build());
            assertEquals(200, valid.status(), "and still answers a valid request: " + valid.body());
        }

        List<String> argv = fakes.argv();
        List<String> unexpected = argv.stream().filter(line -> !ALLOWED.matcher(line).matches()).toList();
        String summary = tally.requests + " requests, " + tally.clientErrors + " 4xx, " + tally.serverErrors + " 5xx, "
                + unexpected.size() + " unexpected processes";
        System.out.println("adversarial suite: " + summary + " (" + tally.closed + " of them non-HTTP cases that ended in a"
                + " closed connection; by category: " + tally.byCategory + ")");
        if (!tally.failures.isEmpty()) {
            fail(summary + "; failures:\n  " + String.join("\n  ", tally.failures.subList(0, Math.min(40, tally.failures.size())))
                    + (tally.failures.size() > 40 ? "\n  ... " + (tally.failures.size() - 40) + " more" : ""));
        }
        assertEquals(0, tally.serverErrors);
        assertEquals(List.of(), unexpected);
        // The one valid request above ran exactly one allowed systemctl; nothing hostile ran anything.
        assertEquals(List.of(String.join(" ", Commands.unitStatus("k3s.service").displayArgv())), argv,
                "processes started: " + argv);
    }

    /** Clients that start a request and never finish it; the agent must close each connection. */
    private static List<Callable<RawHttp.Outcome>> slowloris(int port) {
        List<Callable<RawHttp.Outcome>> clients = new ArrayList<>();
        List<String> prefixes = List.of("", "G", "GET /health HTTP/1.1\r\n", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                "GET /services/k3s/logs?lines=5 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\nX-Slow: ",
                "POST /services HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\npartial body");
        for (int copy = 0; copy < 4; copy++) {
            boolean keepTrickling = copy % 2 == 0;
            for (String prefix : prefixes) {
                clients.add(() -> trickle(port, prefix, keepTrickling));
            }
        }
        return clients;
    }

    /** Sends {@code prefix}, then one more byte every 250 ms (or nothing more), until the agent closes. */
    private static RawHttp.Outcome trickle(int port, String prefix, boolean keepTrickling) throws IOException {
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(250);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(prefix.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            while (System.nanoTime() - started < READ_TIMEOUT.multipliedBy(4).toNanos()) {
                try {
                    int b = in.read();
                    if (b == -1) {
                        return new RawHttp.Outcome(0, "", false);
                    }
                    // An answer (e.g. 405 to the POST before its body is complete): read it to the end.
                    byte[] rest = in.readAllBytes();
                    String text = (char) b + new String(rest, StandardCharsets.UTF_8);
                    return new RawHttp.Outcome(Integer.parseInt(text.substring(9, 12)), text.substring(text.indexOf("\r\n\r\n") + 4), false);
                } catch (java.net.SocketTimeoutException e) {
                    if (keepTrickling) {
                        out.write('a');
                        out.flush();
                    }
                } catch (IOException e) {
                    return new RawHttp.Outcome(0, "", false);
                }
            }
            return new RawHttp.Outcome(0, "", true);
        }
    }

    /** Exactly the argv the agent may run (CONTRACT.md), for the default allowlist. */
    private static final Pattern ALLOWED = allowed();

    private static Pattern allowed() {
        String units = ServiceAllowlist.DEFAULTS.stream().map(ServiceEntry::unit).map(Pattern::quote).collect(Collectors.joining("|"));
        String status = Pattern.quote(String.join(" ", Commands.unitStatus("UNIT").displayArgv())).replace("UNIT", "\\E(?:" + units + ")\\Q");
        String journal = "journalctl --unit=(?:" + units + ") --no-pager --output=short-iso --lines=(?:[1-9][0-9]{0,2}|1000)(?: --since=@[0-9]{1,12})?";
        String gpu = "nvidia-smi(?: -q)?(?: -i (?:0|[1-9][0-9]{0,9}))?";
        // The GPU query: only field names of the GPU field table, never anything a client sent.
        String fields = GpuFieldTable.all().stream().map(GpuField::query).map(Pattern::quote).collect(Collectors.joining("|"));
        String query = "nvidia-smi --query-gpu=(?:" + fields + ")(?:,(?:" + fields + "))* --format=csv";
        String help = Pattern.quote(String.join(" ", Commands.gpuFieldHelp().displayArgv()));
        String kernel = Pattern.quote(String.join(" ", Commands.kernelXids().displayArgv()));
        return Pattern.compile("(?:" + status + ")|(?:" + journal + ")|(?:" + gpu + ")|(?:" + query + ")|(?:" + help + ")|(?:" + kernel + ")");
    }

    /** Counts and checks outcomes; called from the client threads. */
    private static final class Tally {

        int requests;
        int clientErrors;
        int serverErrors;
        int closed;
        final Map<String, Integer> byCategory = new TreeMap<>();
        final List<String> failures = new ArrayList<>();

        synchronized void record(HostileRequests.Case hostile, RawHttp.Outcome outcome) {
            requests++;
            byCategory.merge(hostile.category(), 1, Integer::sum);
            String what = hostile.category() + ": " + hostile.label().replaceAll("\\p{Cntrl}", "?");
            if (outcome.status() >= 500) {
                serverErrors++;
            }
            if (outcome.status() >= 400 && outcome.status() < 500) {
                clientErrors++;
                checkBody(what, outcome.body());
            } else if (outcome.closed() && hostile.mayClose()) {
                closed++;
            } else {
                failures.add(what + " -> " + (outcome.timedOut() ? "no answer within 10 s" : outcome.status() == 0 ? "closed"
                        : outcome.status() + " " + outcome.body().replaceAll("\\p{Cntrl}", "?")));
            }
        }

        synchronized void recordSlow(RawHttp.Outcome outcome) {
            requests++;
            byCategory.merge("slowloris", 1, Integer::sum);
            if (outcome.status() >= 400 && outcome.status() < 500) {
                clientErrors++;
                checkBody("slowloris", outcome.body());
            } else if (outcome.closed()) {
                closed++;
            } else {
                if (outcome.status() >= 500) {
                    serverErrors++;
                }
                failures.add("slowloris -> " + (outcome.timedOut() ? "still open after " + READ_TIMEOUT.multipliedBy(4).toSeconds()
                        + " s" : String.valueOf(outcome.status())));
            }
        }

        private void checkBody(String what, String body) {
            if (body.isEmpty()) {
                return;
            }
            for (String leak : LEAKS) {
                if (body.contains(leak)) {
                    failures.add(what + " -> body shows '" + leak + "': " + body);
                    return;
                }
            }
            try {
                JsonSchemas.assertValid("error.schema.json", body);
            } catch (AssertionError e) {
                failures.add(what + " -> not the error body: " + body);
            }
        }
    }
}
