package ai.chutes.status.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private static Outgoing message(String type, Object payload) {
        return Outgoing.unsequenced(type, payload);
    }

    private static Object payloadOf(Outgoing message) {
        return message.payload().apply(0);
    }

    @Test
    void theNewestOverviewReplacesAnUnsentOneAndRepliesAndLifecycleGoFirst() throws InterruptedException {
        Outbox outbox = new Outbox();
        outbox.offerOverview(message("overview", 1));
        outbox.offerOverview(message("overview", 2));
        outbox.offerLifecycle(message("lifecycle", "degraded"));
        outbox.offerReply(message("pong", "p"));
        assertEquals(3, outbox.size());
        assertEquals(1, outbox.dropped());
        assertEquals("p", payloadOf(outbox.poll(Duration.ZERO)));
        assertEquals("degraded", payloadOf(outbox.poll(Duration.ZERO)));
        assertEquals(2, payloadOf(outbox.poll(Duration.ZERO)));
        assertNull(outbox.poll(Duration.ofMillis(20)));
    }

    @Test
    void aMillionOffersWithNobodyReadingKeepTheQueueBounded() throws InterruptedException {
        Outbox outbox = new Outbox();
        for (int i = 0; i < 1_000_000; i++) {
            outbox.offerOverview(message("overview", i));
            outbox.offerLifecycle(message("lifecycle", i));
            outbox.offerReply(message("pong", i));
        }
        assertEquals(Outbox.MAX_REPLIES + Outbox.MAX_LIFECYCLE + 1, outbox.size());
        assertEquals(1_000_000 - Outbox.MAX_REPLIES, payloadOf(outbox.poll(Duration.ZERO)), "the oldest replies were dropped");
        outbox.clear();
        assertEquals(0, outbox.size());
    }

    @Test
    void pollWakesUpWhenAMessageArrives() throws InterruptedException {
        Outbox outbox = new Outbox();
        Thread producer = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            outbox.offerLifecycle(message("lifecycle", "x"));
        });
        producer.start();
        long started = System.nanoTime();
        Outgoing next = outbox.poll(Duration.ofSeconds(5));
        assertEquals("x", payloadOf(next));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 4000);
    }
}
