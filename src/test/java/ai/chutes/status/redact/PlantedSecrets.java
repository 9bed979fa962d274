package ai.chutes.status.redact;

import ai.chutes.status.FakeBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Fake binaries whose output carries secrets, for the tests that follow output out of the agent. */
public final class PlantedSecrets {

    public static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl";
    public static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE";
    public static final String PASSWORD = "hunter2-gpu-pw";

    private PlantedSecrets() {
    }

    /** nvidia-smi printing its H100 table plus a secret on each stream; journalctl a capture plus two. */
    public static FakeBinaries binaries(Path dir) throws Exception {
        Path journal = dir.resolve("journal.txt");
        List<String> capture = Files.readAllLines(FakeBinaries.fixture("systemd/journal-ok-short-iso.txt"));
        String prefix = capture.get(1).substring(0, capture.get(1).indexOf("]: ") + 3);
        Files.writeString(journal, String.join("\n", capture.subList(1, capture.size() - 1)) + "\n"
                + prefix + "token exchange with " + JWT + "\n" + prefix + "s3 key " + AWS_KEY + " rejected\n");
        Path table = FakeBinaries.fixture("nvidia-smi-table/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.txt");
        return new FakeBinaries(dir)
                .script("journalctl", "cat '" + journal + "'")
                .script("nvidia-smi", "case \"$1\" in --query-gpu=*) exit 9 ;; esac\ncat '" + table
                        + "'\necho 'persistenced: password=" + PASSWORD + "'\necho 'debug: " + JWT + "' >&2");
    }
}
