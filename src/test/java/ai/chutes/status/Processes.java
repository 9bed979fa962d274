package ai.chutes.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a pid is still a running process (a zombie awaiting its reaper does not count). */
public final class Processes {

    private Processes() {
    }

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
}
