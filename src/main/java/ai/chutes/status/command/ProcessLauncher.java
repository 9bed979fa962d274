package ai.chutes.status.command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one process without a shell, drains both pipes under a byte cap, and kills the process and
 * every descendant when the timeout passes, and after every run whatever still carries the run's
 * marker. The only place in the agent where a process is started.
 */
final class ProcessLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessLauncher.class);
    /** How long to wait for pipes to close and a killed process to be reaped before giving up on it. */
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** A fixed, minimal environment: the agent's own variables (tokens, paths) never reach a child. */
    private static final Map<String, String> CHILD_ENVIRONMENT = Map.of(
            "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG", "C.UTF-8",
            "SYSTEMD_COLORS", "0",
            "SYSTEMD_PAGER", "");

    /**
     * Numbers the runs of this JVM, not of one launcher: a run's marker (pid and number) must be unique to
     * the process, or the sweep after one launcher's run kills another's command that carries the same
     * number (two agents in one JVM, as the tests run them).
     */
    private static final AtomicLong RUNS = new AtomicLong();

    private final ExecutorService pipeDrainers;

    ProcessLauncher(ExecutorService pipeDrainers) {
        this.pipeDrainers = pipeDrainers;
    }

    CommandResult run(CommandRequest request, Path binary, Duration timeout, int cap) {
        long started = System.nanoTime();
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            LOG.warn("{} is not an executable file at {}", request.program().displayName(), binary);
            return missing(request, started, timeout);
        }
        List<String> argv = new ArrayList<>(request.arguments().size() + 1);
        argv.add(binary.toString());
        argv.addAll(request.arguments());
        ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(CHILD_ENVIRONMENT);
        RunMarker marker = new RunMarker(ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
        builder.environment().put(RunMarker.VARIABLE, marker.value());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            if (BrokenRuntime.isCause(e)) {
                BrokenRuntime.exit(request.program().displayName(), e);
                throw new RunnerBusyException(); // never MISSING_BINARY: the binary is fine, the JVM is not
            }
            LOG.warn("could not start {}: {}", request.program().displayName(), e.getMessage());
            return missing(request, started, timeout);
        }
        Future<CapturedStream> stdout = drain(process.getInputStream(), Math.max(cap, request.minStdoutBytes()), request.stdoutKeep());
        Future<CapturedStream> stderr = drain(process.getErrorStream(), cap, OutputKeep.HEAD);
        boolean exited = waitFor(process, timeout);
        if (!exited) {
            killTree(process);
            int escaped = marker.killCarriers();
            LOG.warn("{} exceeded its timeout of {} ms and was killed with its descendants{}: {}",
                    request.program().displayName(), timeout.toMillis(),
                    escaped > 0 ? " and " + escaped + " that had left its process tree" : "", request.displayArgv());
        }
        CapturedStream out = collect(stdout, request, marker, exited);
        CapturedStream err = collect(stderr, request, marker, exited);
        // A descendant that detached itself (double fork, setsid, pipes closed) outlives a normal exit
        // too: no process of a run survives the run.
        int leftovers = marker.killCarriers();
        if (leftovers > 0) {
            LOG.warn("{} left {} detached process(es) behind; killed them", request.program().displayName(), leftovers);
        }
        if (err.totalBytes() > 0) {
            LOG.debug("{} stderr: {}", request.program().displayName(), err.text());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (!exited) {
            return new CommandResult(request, Outcome.TIMEOUT, null, out, err, took, timeout);
        }
        int code = process.exitValue();
        return new CommandResult(request, code == 0 ? Outcome.OK : Outcome.EXIT_NONZERO, code, out, err, took, timeout);
    }

    private Future<CapturedStream> drain(InputStream stream, int cap, OutputKeep keep) {
        return pipeDrainers.submit(() -> {
            try (stream) {
                return BoundedCapture.read(stream, cap, keep);
            }
        });
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree(process);
            return false;
        }
    }

    /**
     * SIGKILLs the descendants before the process itself, so none is re-parented out of reach, and
     * repeats while new children appear (a child that forks while it is being killed).
     */
    static void killTree(Process process) {
        for (int round = 0; round < 10; round++) {
            List<ProcessHandle> descendants = process.descendants().toList();
            if (descendants.isEmpty()) {
                break;
            }
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.error("pid {} did not exit after SIGKILL (uninterruptible sleep?); abandoning it", process.pid());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CapturedStream collect(Future<CapturedStream> drain, CommandRequest request, RunMarker marker, boolean exited) {
        try {
            return drain.get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // A descendant that outlived the process still holds the pipe open: kill it, keep nothing.
            int killed = marker.killCarriers();
            drain.cancel(true);
            LOG.warn("output pipe of {} stayed open after the process ended; killed {} leftover process(es)",
                    request.program().displayName(), killed);
            return CapturedStream.EMPTY;
        } catch (ExecutionException e) {
            if (exited) {
                LOG.warn("reading output of {} failed: {}", request.program().displayName(), e.getCause().toString());
            } else {
                // Killed at its timeout (already logged): the JDK closes a dead process's pipes under the reader.
                LOG.debug("output of {} ended with its kill: {}", request.program().displayName(), e.getCause().toString());
            }
            return CapturedStream.EMPTY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CapturedStream.EMPTY;
        }
    }

    private static CommandResult missing(CommandRequest request, long started, Duration timeout) {
        return new CommandResult(request, Outcome.MISSING_BINARY, null, CapturedStream.EMPTY, CapturedStream.EMPTY,
                Duration.ofNanos(System.nanoTime() - started), timeout);
    }
}
