package ai.chutes.status.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tags every process of one run with an environment variable, so that descendants which escaped the
 * process tree (a double fork re-parents them to init) can still be found and killed: every child
 * inherits the variable, and {@code /proc/PID/environ} of a process of the agent's own user is readable.
 */
final class RunMarker {

    static final String VARIABLE = "SYSTEM_STATUS_RUN";
    private static final Path PROC = Path.of("/proc");

    private final String value;

    /** {@code value} must be unique to this agent process and run, e.g. the agent's pid and a counter. */
    RunMarker(String value) {
        this.value = value;
    }

    String value() {
        return value;
    }

    /**
     * SIGKILLs every process that still carries this run's marker; returns how many it found. Runs after
     * every command, so it lists /proc itself: {@link ProcessHandle#allProcesses()} reads each process's
     * start time too, which doubled the cost of a scan (several ms per command on a quiet machine).
     */
    int killCarriers() {
        byte[] needle = (VARIABLE + "=" + value + "\0").getBytes(StandardCharsets.US_ASCII);
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> carriers = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC)) {
            for (Path process : processes) {
                long pid = pidOf(process.getFileName().toString());
                if (pid > 0 && pid != self && carries(pid, needle)) {
                    ProcessHandle.of(pid).ifPresent(carriers::add);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // No /proc to list: fall back to the JDK's own walk of it.
            ProcessHandle.allProcesses().filter(handle -> handle.pid() != self && carries(handle.pid(), needle))
                    .forEach(carriers::add);
        }
        carriers.forEach(ProcessHandle::destroyForcibly);
        return carriers.size();
    }

    /** The pid a /proc entry names, or -1 for the entries that are not processes. */
    private static long pidOf(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(name);
    }

    private static boolean carries(long pid, byte[] needle) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
        } catch (IOException | SecurityException e) {
            return false; // gone, or another user's process: not one of ours
        }
        outer:
        for (int start = 0; start + needle.length <= environ.length; start++) {
            if (start > 0 && environ[start - 1] != 0) {
                continue;
            }
            for (int i = 0; i < needle.length; i++) {
                if (environ[start + i] != needle[i]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
