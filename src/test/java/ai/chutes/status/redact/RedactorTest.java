package ai.chutes.status.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Secrets planted into real journal captures (the message part of a captured line, its prefix kept):
 * each kind is replaced, a near miss of each survives unchanged, every other line stays byte for byte,
 * and every capture in the fixtures passes unchanged (no false positive on real output).
 */
class RedactorTest {

    /** Captures in short-iso form: "time host ident[pid]: message". */
    static final List<String> JOURNALS = List.of(
            "systemd/journal-ok-short-iso.txt", "systemd/journal-fail-short-iso.txt", "journalctl/journalctl-time-format-short-iso-2.log");

    private static final Pattern CONFIGURED = Pattern.compile("MYCO-[0-9]{6}");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Redactor redactor = new Redactor(new RedactionSettings(List.of(CONFIGURED)), registry);

    /** kind, message with the secret, the secret itself, the message as it must come out, a near miss. */
    static Stream<Arguments> secrets() {
        return Stream.of(
                Arguments.of("bearer", "calling admission webhook with Authorization: Bearer 9f8e7d6c5b4a3210fedcba98",
                        "9f8e7d6c5b4a3210fedcba98", "calling admission webhook with Authorization: Bearer [REDACTED]",
                        "the Bearer realm=status was refused; the bearer of bad news arrived"),
                Arguments.of("key_value", "db connect host=10.0.0.5 user=k3s password=hunter2-pw-000 sslmode=require",
                        "hunter2-pw-000", "db connect host=10.0.0.5 user=k3s password=[REDACTED] sslmode=require",
                        "policy password_min_length=12 max_tokens=4096 secretary=alice password="),
                Arguments.of("key_value", "loaded config {\"client_secret\": \"c2VjcmV0LXZhbHVl\", \"region\": \"eu\"}",
                        "c2VjcmV0LXZhbHVl", "loaded config {\"client_secret\": [REDACTED], \"region\": \"eu\"}",
                        "loaded config {\"secret_name\": \"attestation-keys\", \"tokens_used\": 3}"),
                Arguments.of("key_value", "GET /register?node=gpu-7&token=tok_4f3c2a1b&retry=1",
                        "tok_4f3c2a1b", "GET /register?node=gpu-7&token=[REDACTED]&retry=1",
                        "GET /register?node=gpu-7&tokens=2&retry=1"),
                Arguments.of("jwt", "verifying quote for eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJub2RlLTcifQ.c2lnbmF0dXJlLWJ5dGVz ok",
                        "eyJzdWIiOiJub2RlLTcifQ", "verifying quote for [REDACTED] ok",
                        "header eyJhbGciOiJSUzI1NiJ9 alone is not a token; neither is eyJ.x.y"),
                Arguments.of("aws_access_key", "s3 upload as AKIAIOSFODNN7EXAMPLE failed: 403",
                        "AKIAIOSFODNN7EXAMPLE", "s3 upload as [REDACTED] failed: 403",
                        "s3 upload as AKIAIOSFODNN7EXAMP (short) or akiaiosfodnn7example (lower case)"),
                Arguments.of("url_credentials", "pulling https://deploy:Sup3rS3cret@registry.example.com/v2/agent:1.2",
                        "Sup3rS3cret", "pulling https://deploy:[REDACTED]@registry.example.com/v2/agent:1.2",
                        "pulling https://registry.example.com:5000/v2/agent:1.2 as deploy@registry"),
                Arguments.of("configured", "ticket MYCO-123456 opened", "MYCO-123456", "ticket [REDACTED] opened",
                        "ticket MYCO-12345 opened"));
    }

    @ParameterizedTest(name = "{0} in {5}")
    @MethodSource("plantedInEveryJournal")
    void eachKindIsReplacedInAJournalCaptureAndTheRestStays(String kind, String message, String secret, String expected,
                                                            String nearMiss, String journal) {
        List<String> lines = Fixtures.read(journal).lines().filter(line -> line.contains(": ")).limit(5).toList();
        assertTrue(lines.size() >= 3, "capture " + journal + " has journal lines");
        String prefix = lines.get(1).substring(0, lines.get(1).indexOf(": ") + 2);
        List<String> planted = new ArrayList<>(lines);
        planted.set(1, prefix + message);
        planted.add(2, prefix + nearMiss);

        String out = redactor.redact(String.join("\n", planted) + "\n");

        List<String> expectedLines = new ArrayList<>(planted);
        expectedLines.set(1, prefix + expected);
        assertEquals(String.join("\n", expectedLines) + "\n", out);
        assertFalse(out.contains(secret), out);
        assertEquals(1.0, count(kind), "one redaction of " + kind + " counted");
    }

    static Stream<Arguments> plantedInEveryJournal() {
        return JOURNALS.stream().flatMap(journal -> secrets().map(arguments -> {
            Object[] values = arguments.get();
            return Arguments.of(values[0], values[1], values[2], values[3], values[4], journal);
        }));
    }

    @Test
    void aPrivateKeyLoggedLineByLineLosesItsMaterialButKeepsTheJournalPrefixes() {
        List<String> lines = Fixtures.read("systemd/journal-fail-short-iso.txt").lines().filter(line -> line.contains(": ")).toList();
        String prefix = lines.get(0).substring(0, lines.get(0).indexOf(": ") + 2);
        String material1 = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
        String material2 = "MkZ5YTAwSVh0XzNRWlByUmtzbUJvVnJGcEdhZUtIZ0xOYmhUTkFjbmZxQQ==";
        String tail = "AB==";
        String journal = String.join("\n", lines.get(0), prefix + "loaded key:", prefix + "-----BEGIN PRIVATE KEY-----",
                prefix + material1, prefix + material2, prefix + tail, prefix + "-----END PRIVATE KEY-----", lines.get(1)) + "\n";

        String out = redactor.redact(journal);

        String expected = String.join("\n", lines.get(0), prefix + "loaded key:", prefix + "-----BEGIN PRIVATE KEY-----",
                prefix + "[REDACTED]", prefix + "[REDACTED]", prefix + "[REDACTED]", prefix + "-----END PRIVATE KEY-----",
                lines.get(1)) + "\n";
        assertEquals(expected, out);
        assertEquals(1.0, count("private_key"));
    }

    @Test
    void aPrivateKeyOnOneLineAndItsNearMisses() {
        String oneLine = "tls: bad key \"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5\\n-----END EC PRIVATE KEY-----\\n\"";
        assertEquals("tls: bad key \"-----BEGIN EC PRIVATE KEY-----[REDACTED]-----END EC PRIVATE KEY-----\\n\"", redactor.redact(oneLine));
        String nearMiss = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2Vyd\n-----END CERTIFICATE-----\nno PRIVATE KEY here\n";
        assertEquals(nearMiss, redactor.redact(nearMiss), "certificates are public");
    }

    @Test
    void aBeginWithoutEndStopsAfterABoundedNumberOfLines() {
        StringBuilder text = new StringBuilder("-----BEGIN RSA PRIVATE KEY-----\n");
        for (int i = 0; i < PrivateKeyBlocks.MAX_BLOCK_LINES + 10; i++) {
            text.append("line").append(i).append('\n');
        }
        String out = redactor.redact(text.toString());
        assertTrue(out.contains("[REDACTED]\n"));
        assertTrue(out.endsWith("line" + (PrivateKeyBlocks.MAX_BLOCK_LINES + 9) + "\n"), "lines after the bound are kept");
    }

    @Test
    void everyCaptureInTheFixturesPassesUnchanged() throws IOException {
        int files = 0;
        for (String folder : List.of("systemd", "journalctl", "nvidia-smi-table", "nvidia-smi-q", "nvidia-smi-q-x",
                "nvidia-smi-query-gpu-csv", "nvidia-smi-captures")) {
            try (Stream<Path> paths = Files.list(Fixtures.dir(folder))) {
                for (Path path : paths.filter(Files::isRegularFile).toList()) {
                    String text = Files.readString(path);
                    assertEquals(text, redactor.redact(text), "changed: " + path);
                    files++;
                }
            }
        }
        assertTrue(files > 50, "all captures were read: " + files);
        assertEquals(0.0, registry.find("system.status.redactions").counters().stream().mapToDouble(c -> c.count()).sum());
    }

    @Test
    void redactingTwiceChangesNothingMore() {
        String once = secrets().map(arguments -> (String) arguments.get()[1]).reduce("", (a, b) -> a + b + "\n");
        String redacted = redactor.redact(once);
        double counted = registry.find("system.status.redactions").counters().stream().mapToDouble(c -> c.count()).sum();
        assertEquals(redacted, redactor.redact(redacted));
        assertEquals(counted, registry.find("system.status.redactions").counters().stream().mapToDouble(c -> c.count()).sum());
    }

    @Test
    void hostileInputTakesLinearTime() {
        int size = 4 * 1024 * 1024;
        List<String> inputs = List.of("a".repeat(size), "password".repeat(size / 8), "eyJ".repeat(size / 3),
                "Bearer ".repeat(size / 7), "https://u:" + "p".repeat(size), "x=" + "password=".repeat(size / 9),
                "-----BEGIN PRIVATE KEY-----\n" + ("A".repeat(4096) + " b\n").repeat(size / 4096),
                "AKIA".repeat(size / 4));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> inputs.forEach(redactor::redact));
    }

    private double count(String kind) {
        return registry.get("system.status.redactions").tag("kind", kind).counter().count();
    }
}
