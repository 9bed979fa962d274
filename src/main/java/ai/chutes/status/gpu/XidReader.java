package ai.chutes.status.gpu;

import ai.chutes.status.command.CommandRequest;
import ai.chutes.status.command.CommandRunner;
import ai.chutes.status.command.Commands;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the XID errors of this boot from the kernel journal, through the one runner and the one fixed
 * argv ({@link Commands#kernelXids()}), at most once per {@code status.gpu.xid-refresh}: a read younger
 * than that (or one in flight) is shared. A journal that cannot be read gives the XIDs of the last read
 * that worked, none before the first (and a warning, once per refresh); a read the runner could not
 * start (busy) is tried again at the next query. Never a line of the journal goes to a client.
 */
@Singleton
public final class XidReader {

    private static final Logger LOG = LoggerFactory.getLogger(XidReader.class);

    /** One read: its answer (maybe still running) and when it started, in {@link System#nanoTime()}. */
    private record Read(CompletableFuture<XidEvents> events, long startedNanos) {
    }

    private final CommandRunner runner;
    private final long refreshNanos;
    private final AtomicReference<Read> latest = new AtomicReference<>();
    /** The last journal read that succeeded: what a failed read or a read in progress answers with. */
    private volatile XidEvents lastKnown;

    public XidReader(CommandRunner runner, GpuSettings settings) {
        this.runner = runner;
        this.refreshNanos = settings.xidRefresh().toNanos();
    }

    /**
     * The latest XIDs: a read at most {@code xid-refresh} old. Once one read succeeded, nobody waits for
     * the journal again: an expired read is renewed in the background and its predecessor answers
     * meanwhile (the first refresh after it finishes sees a new XID). Never fails.
     */
    public CompletableFuture<XidEvents> read() {
        Read current = renewedIfExpired();
        XidEvents known = lastKnown;
        // A finished read answers lastKnown anyway (set before it completes, kept when it fails).
        return known != null && refreshNanos > 0 ? CompletableFuture.completedFuture(known) : current.events().copy();
    }

    /** The read in flight or younger than {@code xid-refresh}, else a new one, started here. */
    private Read renewedIfExpired() {
        while (true) {
            Read current = latest.get();
            long now = System.nanoTime();
            if (current != null && (!current.events().isDone() || now - current.startedNanos() < refreshNanos)) {
                return current;
            }
            Read next = new Read(new CompletableFuture<>(), now);
            if (latest.compareAndSet(current, next)) {
                readJournal(next);
                return next;
            }
        }
    }

    private void readJournal(Read read) {
        CommandRequest request = Commands.kernelXids();
        runner.run(request).whenComplete((result, failure) -> {
            if (failure != null) {
                LOG.warn("the kernel journal could not be read for XIDs: {}", failure.getClass().getSimpleName());
                latest.compareAndSet(read, null);
                read.events().complete(unread());
            } else if (!result.ok()) {
                LOG.warn("the kernel journal could not be read for XIDs ({}{})", result.outcome().label(),
                        result.exitCode() == null ? "" : ", exit " + result.exitCode());
                read.events().complete(unread());
            } else {
                try {
                    XidEvents events = XidEvents.parse(result.stdout().text());
                    lastKnown = events;
                    read.events().complete(events);
                } catch (RuntimeException e) {
                    LOG.warn("the kernel journal's XID lines could not be read: {}", e.getClass().getSimpleName());
                    read.events().complete(unread());
                }
            }
        });
    }

    /** A read that failed forgets nothing: a fatal XID seen before still counts (this boot's journal only grows). */
    private XidEvents unread() {
        XidEvents known = lastKnown;
        return known != null ? known : XidEvents.none();
    }
}
