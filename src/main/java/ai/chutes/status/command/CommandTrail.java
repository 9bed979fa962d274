package ai.chutes.status.command;

/**
 * Told, on the asking thread, about every command a caller asks the runner for: whether it then starts
 * a process, joins a run in flight or is answered from the cache. The audit log uses it to name the
 * commands behind an HTTP request; argv never holds a secret (constants, allowlisted units, integers).
 */
public interface CommandTrail {

    /** Must be quick and must not throw. */
    void asked(CommandRequest request);

    /**
     * The trail of the asking thread's caller, kept for a command that will be asked later from another
     * thread (one that depends on an earlier command's answer); by default, this trail itself.
     */
    default CommandTrail current() {
        return this;
    }
}
