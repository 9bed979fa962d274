package ai.chutes.status.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tags every process of one run with an environment variable, so that descendants which escaped the
 * process tree (a double fork re-parents them to init) can still be found and killed: every child
 * inherits the variable, and {@code /proc/PID/environ} of a process of the agent's own user is readable.
 */
final class RunMarker {

    static final String VARIABLE = "SYSTEM_STATUS_RUN";

    private final String value;

    /** {@code value} must be unique to this agent process and run, e.g. the agent's pid and a counter. */
    RunMarker(String value) {
        this.value = value;
    }

    String value() {
        return value;
    }

    /** SIGKILLs every process that still carries this run's marker; returns how many it found. */
    int killCarriers() {
        byte[] needle = (VARIABLE + "=" + value + "\0").getBytes(StandardCharsets.US_ASCII);
        List<ProcessHandle> carriers = ProcessHandle.allProcesses()
                .filter(handle -> handle.pid() != ProcessHandle.current().pid() && carries(handle.pid(), needle))
                .toList();
        carriers.forEach(ProcessHandle::destroyForcibly);
        return carriers.size();
    }

    private static boolean carries(long pid, byte[] needle) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
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
