package ai.chutes.status.command;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK the agent runs on can no longer start processes: typically its package was upgraded under
 * the running JVM, and {@code lib/jspawnhelper} on disk no longer matches the JVM in memory ("Failed to
 * exec spawn helper"). Nothing the agent does recovers from that but a restart, and every check would
 * otherwise be reported as a missing binary for ever; so the agent says why and exits with
 * {@value #EXIT_STATUS}, and systemd ({@code Restart=on-failure}) starts it again on the new JDK.
 *
 * <p>The agent launches processes without the helper ({@code jdk.lang.Process.launchMechanism=VFORK} or {@code FORK},
 * see {@code Application}), so this only happens where an operator chose a helper-based mechanism.
 */
final class BrokenRuntime {

    /** EX_SOFTWARE from sysexits.h: not the configuration's fault (2), so systemd restarts the agent. */
    static final int EXIT_STATUS = 70;
    private static final Logger LOG = LoggerFactory.getLogger(BrokenRuntime.class);

    private BrokenRuntime() {
    }

    static boolean isCause(IOException failure) {
        String message = String.valueOf(failure.getMessage());
        return message.contains("spawn helper") || message.contains("jspawnhelper");
    }

    /** Exits from a thread of its own: the shutdown hooks stop the runner's threads, this one among them. */
    static void exit(String program, IOException failure) {
        LOG.error("cannot start {}: the Java runtime can no longer start processes ({}); it was probably replaced on disk."
                + " Exiting with status {} so that the service manager restarts the agent", program, failure.getMessage(), EXIT_STATUS);
        Thread exit = new Thread(() -> System.exit(EXIT_STATUS), "exit-on-broken-runtime");
        exit.start();
    }
}
