package ai.chutes.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code --record FILE}: every line received, as received but escaped, so one line stays one line. */
final class Recorder {

    private final Path file;

    /** {@code file} null: records nothing. */
    Recorder(Path file) {
        this.file = file;
    }

    synchronized void append(String line) throws IOException {
        if (file != null) {
            Files.writeString(file, Escape.text(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
