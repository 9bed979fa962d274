package ai.chutes.status.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One {@code systemctl show} for several units. Two kinds of input, both real: the shared single-unit
 * captures joined the way systemctl joins blocks (one blank line between them), and a real five-unit
 * call captured from systemd 252 (src/test/resources/systemd, see its README: running, not found,
 * failed, masked, oneshot).
 */
class MultiUnitShowTest {

    @Test
    void concatenatedSingleUnitCapturesParseOneBlockPerUnitInOrder() {
        String output = Fixtures.systemdOutput("show-running.txt") + "\n"
                + Fixtures.systemdOutput("show-notfound.txt") + "\n"
                + Fixtures.systemdOutput("show-failed.txt");

        List<UnitStatus> units = SystemctlShowParser.parseUnits(output);

        assertEquals(List.of(
                SystemctlShowParser.parse(Fixtures.systemdOutput("show-running.txt")),
                SystemctlShowParser.parse(Fixtures.systemdOutput("show-notfound.txt")),
                SystemctlShowParser.parse(Fixtures.systemdOutput("show-failed.txt"))), units);
        assertEquals("running", units.get(0).subState());
        assertEquals("not-found", units.get(1).loadState());
        assertEquals("exit-code", units.get(2).result());
    }

    @Test
    void realFiveUnitCallGivesEachUnitItsOwnState() {
        List<UnitStatus> units = SystemctlShowParser.parseUnits(captured("show-multi.txt"));

        assertEquals(List.of(
                new UnitStatus("loaded", "active", "running", "enabled", 31, 0, 0, 0, "success"),
                new UnitStatus("not-found", "inactive", "dead", null, 0, 0, 0, 0, "success"),
                new UnitStatus("loaded", "failed", "failed", "enabled", 0, 1, 1, 0, "exit-code"),
                new UnitStatus("masked", "inactive", "dead", "masked", 0, 0, 0, 0, "success"),
                new UnitStatus("loaded", "active", "exited", "enabled", 0, 1, 0, 0, "success")), units);
    }

    @Test
    void healthIsJudgedPerUnitOfTheOneCall() {
        List<UnitStatus> units = SystemctlShowParser.parseUnits(captured("show-multi.txt"));
        List<ServiceEntry> entries = List.of(
                new ServiceEntry("ok", "demo-ok.service", "", false, false),
                new ServiceEntry("missing", "nosuch.service", "", false, false),
                new ServiceEntry("fail", "demo-fail.service", "", false, false),
                new ServiceEntry("masked", "demo-masked.service", "", true, false),
                new ServiceEntry("once", "demo-oneshot.service", "", false, true));

        List<Boolean> healthy = java.util.stream.IntStream.range(0, entries.size())
                .mapToObj(i -> HealthRule.healthy(entries.get(i), units.get(i))).toList();

        assertEquals(List.of(true, false, false, true, true), healthy);
        ServiceEntry maskedNotAllowed = new ServiceEntry("masked", "demo-masked.service", "", false, false);
        assertFalse(HealthRule.healthy(maskedNotAllowed, units.get(3)));
    }

    @Test
    void anAliasReportsItsTargetsIdSoBlocksAreMatchedByPosition() {
        String output = captured("show-multi-alias.txt");

        assertTrue(output.startsWith("Id=systemd-timedated.service\n"), output);
        assertEquals(2, SystemctlShowParser.parseUnits(output).size());
    }

    @Test
    void blankLinesAtTheEdgesMakeNoBlocks() {
        assertEquals(List.of(), SystemctlShowParser.parseUnits(""));
        assertEquals(1, SystemctlShowParser.parseUnits("\n\nLoadState=loaded\n\n\n").size());
    }

    @Test
    void onlyBlocksThatSurelyBelongToTheirUnitAreUsed() {
        assertEquals(7, UnitStatusReader.usableBlocks(7, 7, false));
        assertEquals(0, UnitStatusReader.usableBlocks(6, 7, false), "uncut output with a block missing cannot be matched");
        assertEquals(4, UnitStatusReader.usableBlocks(5, 7, true), "the last block of cut output may be partial");
        assertEquals(0, UnitStatusReader.usableBlocks(0, 7, true));
    }

    private static String captured(String name) {
        try (InputStream in = MultiUnitShowTest.class.getResourceAsStream("/systemd/" + name)) {
            return Fixtures.stripCommandAndExit(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
