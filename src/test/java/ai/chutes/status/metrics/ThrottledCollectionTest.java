package ai.chutes.status.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.LogCapture;
import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a collection starts, who shares it, and what a caller sees, on a hand-driven clock. */
class ThrottledCollectionTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Duration NO_WAIT = Duration.ZERO;

    private final AtomicLong now = new AtomicLong();
    private final List<CompletableFuture<String>> started = new ArrayList<>();
    private final ThrottledCollection<String> collection = new ThrottledCollection<>("test", () -> {
        CompletableFuture<String> run = new CompletableFuture<>();
        started.add(run);
        return run;
    }, INTERVAL, now::get);

    @Test
    void callersWhileOneRunsShareItEvenPastTheInterval() {
        collection.refresh(NO_WAIT);
        collection.refresh(NO_WAIT);
        now.addAndGet(INTERVAL.toNanos() * 3);
        collection.refresh(NO_WAIT);

        assertEquals(1, started.size(), "a run in flight (a hung nvidia-smi) is never run a second time beside itself");
    }

    @Test
    void aFinishedCollectionIsReusedUntilTheIntervalHasPassedSinceItStarted() {
        collection.refresh(NO_WAIT);
        started.get(0).complete("first");
        now.addAndGet(INTERVAL.toNanos() - 1);
        collection.refresh(NO_WAIT);
        assertEquals(1, started.size());

        now.addAndGet(1);
        collection.refresh(NO_WAIT);
        assertEquals(2, started.size());
    }

    @Test
    void aCallerThatSawTheRunFinishReadsItsResult() {
        CompletableFuture<Void> refreshed = collection.refresh(Duration.ofMinutes(1));
        assertFalse(refreshed.isDone());

        started.get(0).complete("fresh");

        assertTrue(refreshed.isDone());
        assertEquals(Optional.of("fresh"), collection.latest());
    }

    @Test
    void aCallerThatGivesUpWaitingSeesThePreviousResult() {
        collection.refresh(NO_WAIT);
        started.get(0).complete("previous");
        now.addAndGet(INTERVAL.toNanos());

        collection.refresh(Duration.ofMillis(1)).join();

        assertEquals(2, started.size());
        assertEquals(Optional.of("previous"), collection.latest(), "the new run has not finished");
    }

    @Test
    void nothingIsKnownBeforeTheFirstRunFinishesOrAfterOneFails() {
        collection.refresh(Duration.ofMillis(1)).join();
        assertEquals(Optional.empty(), collection.latest());

        started.get(0).complete("ok");
        now.addAndGet(INTERVAL.toNanos());
        try (LogCapture log = LogCapture.of(ThrottledCollection.class)) {
            CompletableFuture<Void> refreshed = collection.refresh(Duration.ofMinutes(1));
            started.get(1).completeExceptionally(new IllegalStateException("bug"));

            assertTrue(refreshed.isDone() && !refreshed.isCompletedExceptionally(), "a failed run never fails the scrape");
            assertEquals(Optional.empty(), collection.latest());
            assertEquals(1, log.count(Level.ERROR, "the test collection failed"), "the failure is logged: " + log.lines());
        }
    }

    @Test
    void aCollectorThatThrowsDoesNotStopLaterRuns() {
        ThrottledCollection<String> throwing = new ThrottledCollection<>("test", () -> {
            throw new IllegalStateException("bug");
        }, Duration.ZERO, now::get);

        try (LogCapture log = LogCapture.of(ThrottledCollection.class)) {
            throwing.refresh(NO_WAIT).join();
            throwing.refresh(NO_WAIT).join();

            assertEquals(Optional.empty(), throwing.latest());
            assertEquals(2, log.count(Level.ERROR, "the test collection failed"), "each failure is logged: " + log.lines());
        }
    }
}
