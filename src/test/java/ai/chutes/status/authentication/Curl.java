package ai.chutes.status.authentication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * curl as an operator runs it, optionally as another user (through {@code setpriv}, util-linux), with
 * the HTTP status and body of the answer, or curl's exit code when there was none (e.g. 35: the TLS
 * handshake failed, 56: the connection was reset).
 */
public final class Curl {

    private static final String STATUS_MARK = "\n--status:";

    private Curl() {
    }

    public record Answer(int exitCode, int status, String body) {
    }

    public static Answer get(String... args) {
        return run(List.of(), List.of(args));
    }

    /** Runs curl with the real and effective uid and gid of the given user and group, no supplementary groups. */
    public static Answer getAs(String user, String group, String... args) {
        return run(List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--clear-groups"), List.of(args));
    }

    private static Answer run(List<String> prefix, List<String> args) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("curl", "-sS", "--max-time", "10", "-w", STATUS_MARK + "%{http_code}"));
        argv.addAll(args);
        try {
            Process process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("curl did not finish: " + argv);
            }
            int mark = out.lastIndexOf(STATUS_MARK);
            int status = mark < 0 ? 0 : Integer.parseInt(out.substring(mark + STATUS_MARK.length()).trim());
            return new Answer(process.exitValue(), status, mark < 0 ? out : out.substring(0, mark));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
