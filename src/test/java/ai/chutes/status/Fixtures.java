package ai.chutes.status;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Access to the real captured command outputs in {@code src/test/resources/fixtures} (origin, commit and
 * licence of each in its SOURCES.md). Read from the source tree, relative to the Maven basedir, so the
 * bytes are exactly those committed. A missing folder or file fails the test with a message saying where
 * it was looked for: these tests are never skipped.
 */
public final class Fixtures {

    /** The fixtures root, as the tests see it from the Maven basedir. */
    public static final Path ROOT = Path.of("src", "test", "resources", "fixtures");

    private Fixtures() {
    }

    /** A folder under the fixtures root, e.g. {@code dir("nvidia-smi-q")}; fails if it is absent. */
    public static Path dir(String sub) {
        requireRoot();
        Path dir = ROOT.resolve(sub);
        if (!Files.isDirectory(dir)) {
            fail("fixture folder missing: " + dir.toAbsolutePath().normalize());
        }
        return dir;
    }

    /** A fixture file's path, e.g. {@code path("systemd/show-running.txt")}; fails if it is absent. */
    public static Path path(String relative) {
        requireRoot();
        Path file = ROOT.resolve(relative);
        if (!Files.isRegularFile(file)) {
            fail("fixture file missing: " + file.toAbsolutePath().normalize());
        }
        return file;
    }

    /** A fixture file's raw bytes. */
    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture file decoded as UTF-8, byte for byte (no line-ending changes). */
    public static String read(String relative) {
        return new String(bytes(relative), StandardCharsets.UTF_8);
    }

    /**
     * The command output inside a capture from {@code fixtures/systemd/} (see its README): drops the
     * first line ({@code $ command}) and the last line ({@code [exit=N]}), keeping everything between
     * exactly, including the newline that ends the output's last line.
     */
    public static String systemdOutput(String fileName) {
        return stripCommandAndExit(read("systemd/" + fileName), fileName);
    }

    /** The N of the {@code [exit=N]} line that ends a capture from {@code fixtures/systemd/}. */
    public static int systemdExitCode(String fileName) {
        String capture = read("systemd/" + fileName);
        String last = lastLine(capture, fileName);
        return Integer.parseInt(last.substring("[exit=".length(), last.length() - 1));
    }

    public static String stripCommandAndExit(String capture, String name) {
        if (!capture.startsWith("$ ")) {
            fail(name + ": a systemd capture must start with a '$ command' line");
        }
        int firstNewline = capture.indexOf('\n');
        String withoutTrailingNewline = capture.endsWith("\n") ? capture.substring(0, capture.length() - 1) : capture;
        int lastNewline = withoutTrailingNewline.lastIndexOf('\n');
        lastLine(capture, name);
        if (firstNewline < 0 || lastNewline < firstNewline) {
            fail(name + ": a systemd capture needs both a '$ command' line and an '[exit=N]' line");
        }
        return capture.substring(firstNewline + 1, lastNewline + 1);
    }

    private static String lastLine(String capture, String name) {
        String trimmed = capture.endsWith("\n") ? capture.substring(0, capture.length() - 1) : capture;
        String last = trimmed.substring(trimmed.lastIndexOf('\n') + 1);
        if (!last.matches("\\[exit=\\d+]")) {
            fail(name + ": a systemd capture must end with an '[exit=N]' line, found '" + last + "'");
        }
        return last;
    }

    private static void requireRoot() {
        if (!Files.isDirectory(ROOT)) {
            fail("fixtures folder missing: expected " + ROOT.toAbsolutePath().normalize()
                    + " (tests run from the Maven basedir)");
        }
    }
}
