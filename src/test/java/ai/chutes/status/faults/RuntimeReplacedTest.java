package ai.chutes.status.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JRE package upgraded under a running agent: a private copy of the JDK the tests run on, the agent
 * started from it, and its {@code lib/jspawnhelper} replaced the way dpkg does (a new file renamed over
 * the old one) while the agent runs. The agent must go on running its commands, or, where an operator
 * chose the helper-based launch mechanism, exit non-zero for systemd to restart it; never report its
 * commands as missing.
 */
class RuntimeReplacedTest {

    @TempDir
    Path dir;

    /** rm, not JUnit's clean-up: the copy's links into /etc would each be reported as a warning. */
    @AfterEach
    void removeTheCopy() throws Exception {
        assertEquals(0, new ProcessBuilder("rm", "-rf", dir.resolve("jdk").toString()).inheritIO().start().waitFor());
    }

    @Test
    void theAgentKeepsRunningCommandsAfterItsSpawnHelperIsReplaced() throws Exception {
        Path jdk = copyOfTheJdk();
        int port = FreePort.pick();
        Process agent = start(jdk, port, List.of());
        try {
            assertEquals(200, awaitStatus(port).statusCode(), "before the swap");
            replaceSpawnHelper(jdk);
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> status = get(port, "/services/k3s/status");
                assertEquals(200, status.statusCode(), "after the swap: " + status.body());
                assertFalse(status.body().contains("missing_binary"), status.body());
            }
            assertTrue(agent.isAlive(), "the agent still runs");
        } finally {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withTheHelperMechanismTheAgentExitsNonZeroInsteadOfReportingMissingBinaries() throws Exception {
        Path jdk = copyOfTheJdk();
        int port = FreePort.pick();
        Process agent = start(jdk, port, List.of("-Djdk.lang.Process.launchMechanism=POSIX_SPAWN"));
        try {
            assertEquals(200, awaitStatus(port).statusCode(), "before the swap");
            replaceSpawnHelper(jdk);
            try {
                HttpResponse<String> status = get(port, "/services/k3s/status");
                assertFalse(status.body().contains("missing_binary"), status.body());
                assertTrue(status.statusCode() >= 500, status.body());
            } catch (IOException e) {
                // the agent exited before it answered: fine
            }
            assertTrue(agent.waitFor(20, TimeUnit.SECONDS), "the agent did not exit");
            assertEquals(70, agent.exitValue(), Files.readString(dir.resolve("agent.log")));
            String log = Files.readString(dir.resolve("agent.log"));
            assertTrue(log.contains("can no longer start processes"), log);
            assertFalse(log.contains("missing_binary"), log);
        } finally {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Hard links where possible (instant; the original files are never written: the swap renames). */
    private Path copyOfTheJdk() throws Exception {
        Path source = Path.of(System.getProperty("java.home")).toRealPath();
        Path copy = dir.resolve("jdk");
        Process cp = new ProcessBuilder("cp", "-al", source.toString(), copy.toString()).redirectErrorStream(true).start();
        if (cp.waitFor() != 0) {
            cp = new ProcessBuilder("cp", "-a", source.toString(), copy.toString()).inheritIO().start();
            assertEquals(0, cp.waitFor(), "copying " + source);
        }
        assertTrue(Files.isRegularFile(copy.resolve("lib/jspawnhelper")), "a JDK with a spawn helper: " + source);
        return copy;
    }

    /** What a package upgrade does: the new helper (here one that fails at once) renamed over the old. */
    private static void replaceSpawnHelper(Path jdk) throws IOException {
        Path replacement = jdk.resolve("lib/jspawnhelper.dpkg-new");
        Files.writeString(replacement, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(replacement, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(replacement, jdk.resolve("lib/jspawnhelper"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Process start(Path jdk, int port, List<String> extraFlags) throws IOException {
        FakeBinaries fakes = new FakeBinaries(dir);
        List<String> command = new ArrayList<>(List.of(jdk.resolve("bin/java").toString(), "-XX:+UseSerialGC", "-Xmx64m"));
        command.addAll(extraFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dstatus.bind-address=127.0.0.1", "-Dstatus.port=" + port, "-Dstatus.cache-ttl=0s",
                "-Dstatus.push.enabled=false"));
        fakes.properties().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("ai.chutes.status.Application");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
    }

    private static HttpResponse<String> awaitStatus(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return get(port, "/services/k3s/status");
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
