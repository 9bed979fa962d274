package ai.chutes.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Facts about running processes, read from /proc. */
public final class Processes {

    private Processes() {
    }

    /** Whether a pid is still a running process (a zombie awaiting its reaper does not count). */
    public static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat);
            char state = text.charAt(text.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** Running processes whose environment carries a run marker of the agent with this pid. */
    public static List<Long> carryingRunMarker(long agentPid) {
        String needle = "SYSTEM_STATUS_RUN=" + agentPid + "-";
        List<Long> carriers = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(process -> {
            try {
                String environ = Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ"),
                        java.nio.charset.StandardCharsets.ISO_8859_1);
                if (("\0" + environ).contains("\0" + needle) && running(process.pid())) {
                    carriers.add(process.pid());
                }
            } catch (IOException | SecurityException e) {
                // gone, or not ours
            }
        });
        return carriers;
    }
}
