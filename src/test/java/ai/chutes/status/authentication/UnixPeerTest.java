package ai.chutes.status.authentication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import ai.chutes.status.audit.AuditCapture;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unix socket's peer allowlist, checked with the kernel's peer credentials (SO_PEERCRED). Clients
 * are real curl processes. Run as root (as CI does), the refused client runs as {@code nobody:nogroup}
 * through {@code setpriv}, so the agent sees another uid and gid on the same socket. Run by a person
 * without root, who cannot switch users, the test allowlists a uid that is not theirs instead: the
 * kernel still reports the real uid, and the agent still refuses it.
 */
class UnixPeerTest {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path dir;
    private Path socket;

    @BeforeEach
    void reachableByOtherUsers() throws Exception {
        // nobody must be able to reach the socket: @TempDir is 0700
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        socket = dir.resolve("status.sock");
    }

    private RunningAgent agent(Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(new FakeBinaries(dir).properties());
        properties.put("status.uds-path", socket.toString());
        properties.putAll(extra);
        return new RunningAgent(properties);
    }

    private static String me() throws IOException {
        return Files.getOwner(Path.of("/proc/self")).getName();
    }

    private Curl.Answer asMe(String path) {
        return Curl.get("--unix-socket", socket.toString(), "http://localhost" + path);
    }

    private Curl.Answer asNobody(String path) {
        return Curl.getAs("nobody", "nogroup", "--unix-socket", socket.toString(), "http://localhost" + path);
    }

    @Test
    void anAllowedUidIsServedAndAnotherRefused() throws IOException {
        Assumptions.assumeTrue(ROOT, "switching users needs root; see theCallersOwnUidDecides");
        try (RunningAgent agent = agent(Map.of("status.uds-allowed-uids", "0", "status.uds-mode", "0666"));
             AuditCapture audit = new AuditCapture()) {
            Curl.Answer root = asMe("/services/k3s/status");
            assertEquals(200, root.status(), root.body());
            Curl.Answer nobody = asNobody("/services/k3s/status");
            assertEquals(403, nobody.status(), nobody.body());
            JsonSchemas.assertValid("error.schema.json", nobody.body());
            assertTrue(nobody.body().contains("\"error\":\"forbidden\""), nobody.body());
            assertEquals(200, asNobody("/health").status(), "/health stays open to every peer");

            JsonNode allowed = audit.await(entry -> "allowed".equals(entry.path("access").asText()));
            assertEquals("peer:root/root", allowed.path("caller").asText());
            assertEquals("unix", allowed.path("listener").asText());
            assertEquals(200, allowed.path("status").asInt());
            JsonNode refused = audit.await(entry -> "forbidden".equals(entry.path("access").asText()));
            assertEquals("peer:nobody/nogroup", refused.path("caller").asText());
            assertEquals(403, refused.path("status").asInt());
            assertEquals(0, refused.path("commands").size(), "nothing ran for the refused peer");
            assertEquals(200, agent.get("/health").status(), "TCP keeps answering");
        }
    }

    /** Works with or without root: the client's own uid, as the kernel reports it, is what the agent checks. */
    @Test
    void theCallersOwnUidDecides() throws IOException {
        String other = ROOT ? "nobody" : "0";
        try (RunningAgent agent = agent(Map.of("status.uds-allowed-uids", me()))) {
            assertEquals(200, asMe("/services").status(), "my uid is allowed");
        }
        try (RunningAgent agent = agent(Map.of("status.uds-allowed-uids", other))) {
            Curl.Answer refused = asMe("/services");
            assertEquals(403, refused.status(), "only " + other + " is allowed: " + refused.body());
            assertEquals(200, asMe("/health").status());
        }
    }

    @Test
    void anAllowedGroupByNameLetsItsMembersIn() {
        Assumptions.assumeTrue(ROOT, "switching users needs root");
        try (RunningAgent agent = agent(Map.of("status.uds-allowed-gids", "nogroup", "status.uds-mode", "0666"))) {
            assertEquals(200, asNobody("/services").status(), "nobody's group nogroup is allowed");
            assertEquals(403, asMe("/services").status(), "root is neither the uid nor in the gid allowed");
        }
    }

    @Test
    void theSocketFileGetsTheConfiguredModeOwnerAndGroup() throws Exception {
        Assumptions.assumeTrue(ROOT, "giving a file to another user needs root");
        try (RunningAgent agent = agent(Map.of("status.uds-mode", "0600", "status.uds-owner", "nobody",
                "status.uds-group", "nogroup"))) {
            PosixFileAttributes attributes = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertEquals("rw-------", PosixFilePermissions.toString(attributes.permissions()));
            assertEquals("nobody", attributes.owner().getName());
            assertEquals("nogroup", attributes.group().getName());
            assertEquals(200, asNobody("/services").status(), "the owner may connect, and no allowlist is set");
        }
        try (RunningAgent agent = agent(Map.of())) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)), "0660 by default");
            Curl.Answer nobody = asNobody("/health");
            assertNotEquals(0, nobody.exitCode(), "without write permission on the socket, nobody cannot even connect");
        }
    }
}
