package ai.chutes.status.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.Fixtures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Splits real {@code journalctl -o short-iso} captures into lines, newest last. */
class JournalParserTest {

    /** gpud's kernel-journal capture: 47 lines, the last without a trailing newline (so {@code wc -l} says 46). */
    private static final String KERNEL_LOG = "journalctl/journalctl-time-format-short-iso-2.log";

    private static List<String> kernelLogLines() {
        String text = Fixtures.read(KERNEL_LOG);
        assertTrue(!text.endsWith("\n") && !text.contains("\r"), "fixture layout changed: " + KERNEL_LOG);
        return Arrays.asList(text.split("\n"));
    }

    @Test
    void runningServiceJournalGivesItsFiveLinesInOrder() {
        List<String> lines = JournalParser.lines(Fixtures.systemdOutput("journal-ok-short-iso.txt"), false, 5);

        assertEquals(List.of(
                "2026-11-23T11:14:36+0000 testbox bash[33]: tick 21",
                "2026-11-23T11:14:38+0000 testbox bash[33]: tick 22",
                "2026-11-23T11:14:40+0000 testbox bash[33]: tick 23",
                "2026-11-23T11:14:42+0000 testbox bash[33]: tick 24",
                "2026-11-23T11:14:44+0000 testbox bash[33]: tick 25"), lines);
    }

    @Test
    void maxLinesKeepsTheNewestLinesOfTheRunningServiceJournal() {
        List<String> lines = JournalParser.lines(Fixtures.systemdOutput("journal-ok-short-iso.txt"), false, 2);

        assertEquals(List.of(
                "2026-11-23T11:14:42+0000 testbox bash[33]: tick 24",
                "2026-11-23T11:14:44+0000 testbox bash[33]: tick 25"), lines);
    }

    @Test
    void failedServiceJournalKeepsSystemdsOwnLines() {
        List<String> lines = JournalParser.lines(Fixtures.systemdOutput("journal-fail-short-iso.txt"), false, 5);

        assertEquals(List.of(
                "2026-11-23T11:13:54+0000 testbox sh[31]: about to fail",
                "2026-11-23T11:13:54+0000 testbox sh[31]: error: something broke",
                "2026-11-23T11:13:54+0000 testbox systemd[1]: demo-fail.service: Main process exited, code=exited, status=1/FAILURE",
                "2026-11-23T11:13:54+0000 testbox systemd[1]: demo-fail.service: Failed with result 'exit-code'.",
                "2026-11-23T11:13:54+0000 testbox systemd[1]: Failed to start demo-fail.service - Demo failing service."),
                lines);
    }

    @Test
    void noEntriesMarkerGivesAnEmptyList() {
        String output = Fixtures.systemdOutput("journal-notfound.txt");
        assertEquals("-- No entries --\n", output);

        assertEquals(List.of(), JournalParser.lines(output, false, 100));
    }

    @Test
    void emptyOutputGivesAnEmptyList() {
        assertEquals(List.of(), JournalParser.lines("", false, 100));
        assertEquals(List.of(), JournalParser.lines("", true, 100));
    }

    @Test
    void kernelLogWithoutTrailingNewlineGivesAllItsLines() {
        List<String> expected = kernelLogLines();
        assertEquals(47, expected.size());

        List<String> lines = JournalParser.lines(Fixtures.read(KERNEL_LOG), false, 1000);

        assertEquals(expected, lines);
        assertEquals("2025-01-17T17:10:43+0000 exp03-ft-896z-1-lan.exp03-ft-896z-job-svc kernel: "
                + "IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready", lines.get(0));
    }

    @Test
    void maxLinesTenKeepsTheNewestTenOfTheKernelLogInOrder() {
        List<String> all = kernelLogLines();

        List<String> lines = JournalParser.lines(Fixtures.read(KERNEL_LOG), false, 10);

        assertEquals(all.subList(37, 47), lines);
        assertEquals("2025-01-17T17:39:30+0000 exp03-ft-896z-1-lan.exp03-ft-896z-job-svc kernel: nvidia-peermem "
                + "nv_get_p2p_free_callback:127 ERROR detected invalid context, skipping further processing", lines.get(9));
    }

    @Test
    void maxLinesSpanningDistinctMessagesKeepsTheirOrder() {
        // The newest 14 kernel lines are identical; 20 reaches back into distinct ADDRCONF lines.
        List<String> all = kernelLogLines();

        List<String> lines = JournalParser.lines(Fixtures.read(KERNEL_LOG), false, 20);

        assertEquals(all.subList(27, 47), lines);
        assertTrue(lines.get(0).startsWith("2025-01-17T17:11:17+0000 "), lines.get(0));
        assertTrue(lines.get(0).endsWith("cali009f89aa2a2: link becomes ready"), lines.get(0));
        assertTrue(lines.get(5).endsWith("cali6706ce3460d: link becomes ready"), lines.get(5));
        assertTrue(lines.get(6).contains("nvidia-peermem"), lines.get(6));
    }

    @Test
    void truncatedAtStartDropsThePartialFirstLine() {
        String text = Fixtures.read(KERNEL_LOG);
        List<String> all = kernelLogLines();
        // What a tail-kept capture looks like: it starts in the middle of line 1.
        String cutInsideFirstLine = text.substring(40);

        List<String> lines = JournalParser.lines(cutInsideFirstLine, true, 1000);

        assertEquals(all.subList(1, 47), lines);
    }

    @Test
    void truncatedAtStartDropsThePartialLineWhereverTheCutFalls() {
        String text = Fixtures.read(KERNEL_LOG);
        List<String> all = kernelLogLines();
        int startOfLine20 = text.indexOf(all.get(19));
        String cutInsideLine20 = text.substring(startOfLine20 + 25);

        List<String> lines = JournalParser.lines(cutInsideLine20, true, 1000);

        assertEquals(all.subList(20, 47), lines);
    }

    @Test
    void truncatedAtStartThenMaxLinesKeepsTheNewest() {
        String cut = Fixtures.read(KERNEL_LOG).substring(40);
        List<String> all = kernelLogLines();

        List<String> lines = JournalParser.lines(cut, true, 20);

        assertEquals(all.subList(27, 47), lines);
    }
}
