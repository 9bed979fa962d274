package ai.chutes.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real executables standing in for systemctl, journalctl and nvidia-smi: small shell scripts that
 * first append their argv to a log (so tests can see exactly which processes ran) and then replay a
 * capture, fail, hang, or flood. They are wired in through {@code status.commands.*}, as a user would.
 */
public final class FakeBinaries {

    private final Path dir;
    private final Path argvLog;
    private final Map<String, Path> binaries = new HashMap<>();

    public FakeBinaries(Path dir) {
        this.dir = dir;
        this.argvLog = dir.resolve("argv.log");
        replaySystemd("systemctl", "show-running.txt");
        replaySystemd("journalctl", "journal-ok-short-iso.txt");
        replayGpus(GpuCapture.h100Idle());
    }

    /**
     * nvidia-smi answering like a real capture: its field list for {@code --help-query-gpu}; for
     * {@code --query-gpu=<fields> --format=csv} the captured full-field CSV cut down to the asked fields,
     * in the asked order (a field the capture's driver does not know fails like nvidia-smi: a message
     * and exit 2); the H100 {@code -q} capture for the detail report and its table otherwise.
     */
    public FakeBinaries replayGpus(GpuCapture capture) {
        Path csv = dir.resolve("gpu-query.csv");
        Path help = dir.resolve("gpu-help.txt");
        // The demo's column picker, one copy for the demo, the benchmark and the tests.
        Path select = Path.of("src", "demo", "fake-bin", "select-fields.awk").toAbsolutePath();
        try {
            Files.writeString(csv, capture.csv());
            Files.writeString(help, capture.helpQueryGpu());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return script("nvidia-smi", """
                case "$1" in
                  --help-query-gpu) cat '%s' ;;
                  --query-gpu=*) awk -F, -v want="${1#--query-gpu=}" -f '%s' '%s' ;;
                  -q) cat '%s' ;;
                  *) cat '%s' ;;
                esac""".formatted(help, select, csv,
                fixture("nvidia-smi-q/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.q.txt"),
                fixture("nvidia-smi-table/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.txt")));
    }

    public static Path fixture(String relative) {
        return Fixtures.path(relative).toAbsolutePath().normalize();
    }

    /**
     * Replays a capture from fixtures/systemd (dropping its "$ command" and "[exit=N]" lines). For
     * {@code systemctl show} it prints the capture once per unit named, blank-line separated, as
     * systemctl does for several units (see src/test/resources/systemd/README.md).
     */
    public FakeBinaries replaySystemd(String name, String capture) {
        String replay = "sed -e 1d -e '$d' '" + fixture("systemd/" + capture) + "'";
        return name.equals("systemctl") ? systemctlPerUnit(replay) : script(name, replay);
    }

    /**
     * systemctl whose {@code show} prints {@code oneBlock}'s output once per unit named, with a blank
     * line between blocks: how a real systemctl answers for several units (a real five-unit capture is
     * in src/test/resources/systemd).
     */
    public FakeBinaries systemctlPerUnit(String oneBlock) {
        return systemctlPerUnit("", oneBlock);
    }

    /** As {@link #systemctlPerUnit(String)}, running {@code once} (a delay, say) before the blocks. */
    public FakeBinaries systemctlPerUnit(String once, String oneBlock) {
        return script("systemctl", once + """

                n=0
                for arg in "$@"; do
                  case "$arg" in show|--*) ;; *) [ "$n" -gt 0 ] && echo; %s; n=$((n+1)) ;; esac
                done""".formatted(oneBlock));
    }

    /** Writes the script body that runs after the argv has been logged. */
    public FakeBinaries script(String name, String body) {
        Path path = dir.resolve(name);
        String script = "#!/bin/sh\nprintf '%s\\n' \"" + name + "${*:+ $*}\" >> '" + argvLog + "'\n" + body + "\n";
        try {
            Files.writeString(path, script);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        binaries.put(name, path);
        return this;
    }

    /** Points the named command at a path where nothing exists. */
    public FakeBinaries missing(String name) {
        binaries.put(name, dir.resolve("not-installed").resolve(name));
        return this;
    }

    public Path dir() {
        return dir;
    }

    public Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        binaries.forEach((name, path) -> properties.put("status.commands." + name, path.toString()));
        return properties;
    }

    /** Every logged invocation, "name arg1 arg2 ...", in order. */
    public List<String> argv() {
        try {
            return Files.exists(argvLog) ? Files.readAllLines(argvLog) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void clearArgv() {
        try {
            Files.deleteIfExists(argvLog);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
