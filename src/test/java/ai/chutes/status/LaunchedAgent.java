package ai.chutes.status;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real launcher ({@link Application#main}) in a JVM of its own, on this test run's class path with
 * the given folder first, on a free loopback port, push off, the fakes for its commands; its output goes
 * to {@code NAME.log} in the test's folder.
 */
final class LaunchedAgent implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LaunchedAgent(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts it and waits until it answers /health (any status), for at most 30 s. */
    static LaunchedAgent start(Path dir, String name, Path classPathFirst, List<String> properties) throws Exception {
        int port = FreePort.pick();
        FakeBinaries fakes = new FakeBinaries(Files.createDirectories(dir.resolve(name + "-bin")));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx64m", "-cp", classPathFirst + File.pathSeparator + System.getProperty("java.class.path"),
                "-Dstatus.bind-address=127.0.0.1", "-Dstatus.port=" + port, "-Dstatus.push.enabled=false"));
        fakes.properties().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(properties);
        command.add("ai.chutes.status.Application");
        Path log = dir.resolve(name + ".log");
        LaunchedAgent agent = new LaunchedAgent(
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && agent.process.isAlive()) {
            try {
                agent.status("/health");
                return agent;
            } catch (IOException notListeningYet) {
                Thread.sleep(100);
            }
        }
        agent.close();
        throw new AssertionError("the agent gave no answer: " + Files.readString(log));
    }

    /** The status of a GET of {@code path} with the given header name and value pairs. */
    int status(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
