package ai.chutes.status;

import ai.chutes.status.settings.InvalidConfigurationException;
import io.micronaut.context.env.Environment;
import io.micronaut.http.server.exceptions.ServerStartupException;
import io.micronaut.runtime.Micronaut;
import java.util.Arrays;

/**
 * Starts the agent; a configuration mistake, or a listener that cannot be bound, ends start-up with one
 * clear line and exit status 2. Processes are started without the JDK's spawn helper, so that an
 * upgrade of the JRE under the running agent does not stop it from running its commands.
 */
public final class Application extends Micronaut {

    /**
     * The JDK's process launch mechanism. VFORK and FORK exec the command directly, without the JDK's
     * helper; VFORK does not copy the JVM's page tables, which made each command ~20 ms faster to start
     * (src/bench/benchmark.sh). JDK 17 has it; later JDKs deprecate it, so there FORK is used.
     */
    static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

    /** What {@code --help} prints: how settings reach the agent, and that it starts pushing at once. */
    static final String USAGE = """
            usage: java [JVM options] [-Dstatus.KEY=VALUE ...] -jar system-status.jar
            A read-only status agent: it serves /health, /services, /overview, /gpu/nvidia-smi and /metrics
            and pushes its state to the host as soon as it starts. Settings come from
            -Dmicronaut.config.files=FILE (JSON, as the Ansible role writes it), -Dstatus.KEY=VALUE or
            STATUS_KEY environment variables; every key is in docs/configuration.md.
            Push defaults to auto: vsock://2:1024, the host of the VM it runs in, when the machine has a
            vsock CID. Anywhere but the guest it reports from, give -Dstatus.push.enabled=false or a
            tcp:// or unix:// status.push.address.
            """;

    public static void main(String[] args) {
        // Asked for help, the agent says how to run it instead of starting (and dialing its host).
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        // The default (POSIX_SPAWN) runs lib/jspawnhelper from the JDK's directory for every process; a
        // package upgrade replaces that file under the running JVM and every later start fails. VFORK
        // and FORK need nothing from disk. Read once, when the first process starts: set it before anything.
        if (System.getProperty(LAUNCH_MECHANISM) == null) {
            System.setProperty(LAUNCH_MECHANISM, Runtime.version().feature() <= 17 ? "VFORK" : "FORK");
        }
        ClassSharing.warnIfOff();
        // Micronaut's service descriptors from the jar's list rather than a walk of the whole jar.
        ServiceIndex.install(Application.class.getClassLoader());
        new Application().mainClass(Application.class).banner(false).args(args)
                .propertySources(MicronautDefaults.propertySource()).start();
    }

    @Override
    protected void handleStartupException(Environment environment, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidConfigurationException invalid) {
                System.err.println("system-status: cannot start: " + invalid.getMessage());
                System.exit(2);
            }
            if (cause instanceof ServerStartupException unbound) {
                // A port in use, a full disk or a read-only directory for the unix socket: say which.
                System.err.println("system-status: cannot start: " + unbound.getMessage() + ": " + rootMessage(unbound));
                System.exit(2);
            }
        }
        super.handleStartupException(environment, failure);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
