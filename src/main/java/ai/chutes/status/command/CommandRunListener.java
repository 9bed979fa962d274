package ai.chutes.status.command;

/**
 * Told once about every run the runner finishes: a process that exited or was killed, or a binary that
 * was missing. Not told about results reused from the cache or shared with a run in flight, so per-run
 * metrics count processes, not requests.
 */
public interface CommandRunListener {

    /** Called on the runner's worker thread; must be quick and must not throw. */
    void finished(CommandResult result);
}
