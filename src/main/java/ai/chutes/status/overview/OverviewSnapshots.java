package ai.chutes.status.overview;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest overview, taken by one refresh at a time and serialized once; {@code /overview}, the push
 * scheduler and the host's {@code get_overview} read it. Readers refresh it lazily
 * (stale-while-revalidate, see {@link OverviewSettings}): nothing runs while nobody reads, apart from
 * the push interval. Each new snapshot is handed to the listeners, so a state change can be pushed at
 * the first refresh that sees it, whoever started that refresh.
 */
@Singleton
public final class OverviewSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(OverviewSnapshots.class);

    private final OverviewService service;
    private final JsonMapper json;
    private final OverviewSettings settings;
    private final LongSupplier nanoTime = System::nanoTime;
    private final List<Consumer<OverviewSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile OverviewSnapshot latest;
    private CompletableFuture<OverviewSnapshot> refreshing;

    public OverviewSnapshots(OverviewService service, JsonMapper json, OverviewSettings settings) {
        this.service = service;
        this.json = json;
        this.settings = settings;
    }

    /**
     * The snapshot a reader gets: the latest when younger than the TTL; else it starts (or joins) a
     * refresh and gets the latest at once while that is within the maximum staleness, or the refresh.
     */
    public CompletableFuture<OverviewSnapshot> read() {
        OverviewSnapshot current = latest;
        if (current != null) {
            Duration age = current.age(nanoTime.getAsLong());
            if (age.compareTo(settings.ttl()) < 0) {
                return CompletableFuture.completedFuture(current);
            }
            CompletableFuture<OverviewSnapshot> refresh = refresh();
            return settings.servable(age) ? CompletableFuture.completedFuture(current) : refresh.copy();
        }
        return refresh().copy();
    }

    /** Starts a refresh unless one runs, and returns the one running: never two at once. */
    public synchronized CompletableFuture<OverviewSnapshot> refresh() {
        if (refreshing == null || refreshing.isDone()) {
            long started = nanoTime.getAsLong();
            refreshing = service.overview().thenApply(overview -> publish(new OverviewSnapshot(overview, serialize(overview), started)));
        }
        return refreshing;
    }

    /** Called with every new snapshot, on the thread that finished it. */
    public void onSnapshot(Consumer<OverviewSnapshot> listener) {
        listeners.add(listener);
    }

    private OverviewSnapshot publish(OverviewSnapshot snapshot) {
        latest = snapshot;
        for (Consumer<OverviewSnapshot> listener : listeners) {
            try {
                listener.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.error("an overview listener failed; the snapshot is kept", e);
            }
        }
        return snapshot;
    }

    private byte[] serialize(Overview overview) {
        try {
            return json.writeValueAsBytes(overview);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
