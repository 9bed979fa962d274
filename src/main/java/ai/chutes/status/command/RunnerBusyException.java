package ai.chutes.status.command;

/** The runner's queue is full: too many distinct commands are waiting for a process slot. */
public final class RunnerBusyException extends RuntimeException {

    public RunnerBusyException() {
        super("too many commands are waiting to run");
    }
}
