package ai.chutes.status.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner's pool: an idle thread is reused before one starts; the slots and the backlog still bound it. */
class CommandSlotsTest {

    private CommandSlots slots;

    @AfterEach
    void shutDown() {
        slots.shutdownNow();
    }

    private CommandSlots slots(int count, int backlog, Duration keepAlive) {
        AtomicInteger n = new AtomicInteger();
        slots = new CommandSlots(count, backlog, keepAlive, r -> {
            Thread t = new Thread(r, "slot-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return slots;
    }

    @Test
    void commandsOneAfterAnotherShareOneThread() throws Exception {
        CommandSlots pool = slots(12, 256, Duration.ofSeconds(30));
        Set<String> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 50; i++) {
            pool.submit(() -> threads.add(Thread.currentThread().getName())).get(5, TimeUnit.SECONDS);
            // afterExecute runs just after the future completes; let the thread go back to waiting.
            awaitTrue(() -> pool.getActiveCount() == 0);
        }
        assertEquals(Set.of("slot-1"), threads);
        assertEquals(1, pool.getLargestPoolSize());
    }

    @Test
    void busyThreadsMakeRoomForNewOnesUpToTheSlotsAndTheRestWait() throws Exception {
        CommandSlots pool = slots(3, 256, Duration.ofSeconds(30));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(pool.submit(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                release.await();
                running.decrementAndGet();
                return null;
            }));
        }
        awaitTrue(() -> running.get() == 3);
        assertEquals(7, pool.getQueue().size(), "the commands beyond the slots wait");
        release.countDown();
        for (Future<?> f : all) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertEquals(3, mostAtOnce.get());
        assertEquals(3, pool.getLargestPoolSize());
    }

    @Test
    void aFullBacklogRefuses() throws Exception {
        CommandSlots pool = slots(2, 3, Duration.ofSeconds(30));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            pool.execute(() -> {
                running.incrementAndGet();
                awaitQuietly(release);
            });
        }
        awaitTrue(() -> running.get() == 2);
        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
        release.countDown();
        CountDownLatch after = new CountDownLatch(1);
        awaitTrue(() -> pool.getQueue().isEmpty() && pool.getActiveCount() == 0);
        pool.execute(after::countDown);
        assertTrue(after.await(5, TimeUnit.SECONDS), "a refusal leaves the pool working");
    }

    @Test
    void idleThreadsEnd() throws Exception {
        CommandSlots pool = slots(4, 16, Duration.ofMillis(100));
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            pool.execute(() -> awaitQuietly(release));
        }
        awaitTrue(() -> pool.getPoolSize() == 4);
        release.countDown();
        awaitTrue(() -> pool.getPoolSize() == 0);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting");
            Thread.sleep(2);
        }
    }
}
