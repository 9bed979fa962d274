package ai.chutes.status.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.FakeBinaries;
import ai.chutes.status.JsonSchemas;
import ai.chutes.status.RunningAgent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unix socket's peer allowlist, checked with the kernel's peer credentials (SO_PEERCRED). Clients
 * are real curl processes; the refused one runs as {@code nobody:nogroup} through {@code setpriv}, so
 * the agent sees a different uid and gid on the same socket. Needs root (the test machine and CI run as
 * root), as switching users does.
 */
class UnixPeerTest {

    @TempDir
    Path dir;
    private Path socket;

    @BeforeAll
    static void needsRoot() throws Exception {
        assertEquals("0", new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim(),
                "this test switches users with setpriv and must run as root");
    }

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

    private Curl.Answer asRoot(String path) {
        return Curl.get("--unix-socket", socket.toString(), "http://localhost" + path);
    }

    private Curl.Answer asNobody(String path) {
        return Curl.getAs("nobody", "nogroup", "--unix-socket", socket.toString(), "http://localhost" + path);
    }

    @Test
    void anAllowedUidIsServedAndAnotherRefused() {
        try (RunningAgent agent = agent(Map.of("status.uds-allowed-uids", "0", "status.uds-mode", "0666"));
             AuditCapture audit = new AuditCapture()) {
            Curl.Answer root = asRoot("/services/k3s/status");
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

    @Test
    void anAllowedGroupByNameLetsItsMembersIn() {
        try (RunningAgent agent = agent(Map.of("status.uds-allowed-gids", "nogroup", "status.uds-mode", "0666"))) {
            assertEquals(200, asNobody("/services").status(), "nobody's group nogroup is allowed");
            assertEquals(403, asRoot("/services").status(), "root is neither the uid nor in the gid allowed");
        }
    }

    @Test
    void theSocketFileGetsTheConfiguredModeOwnerAndGroup() throws Exception {
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
