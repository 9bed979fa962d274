package ai.chutes.status.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.chutes.status.Fixtures;
import org.junit.jupiter.api.Test;

/** Parses real {@code systemctl show} captures (systemd 252), whose properties come in systemd's own order. */
class SystemctlShowParserTest {

    @Test
    void parsesRunningServiceCapture() {
        UnitStatus status = SystemctlShowParser.parse(Fixtures.systemdOutput("show-running.txt"));

        assertEquals(new UnitStatus("loaded", "active", "running", "enabled", 33, 0, 0, 0, "success"), status);
    }

    @Test
    void parsesFailedServiceCapture() {
        UnitStatus status = SystemctlShowParser.parse(Fixtures.systemdOutput("show-failed.txt"));

        assertEquals(new UnitStatus("loaded", "failed", "failed", "enabled", 0, 1, 1, 0, "exit-code"), status);
    }

    @Test
    void parsesNotFoundUnitCaptureWithEmptyUnitFileStateAsNull() {
        UnitStatus status = SystemctlShowParser.parse(Fixtures.systemdOutput("show-notfound.txt"));

        assertEquals(new UnitStatus("not-found", "inactive", "dead", null, 0, 0, 0, 0, "success"), status);
    }

    @Test
    void notFoundUnitStillExitsZero() {
        // systemctl show reports a missing unit through LoadState, not through its exit status.
        assertEquals(0, Fixtures.systemdExitCode("show-notfound.txt"));
    }

    @Test
    void ignoresPropertiesItDoesNotModelAndValuesContainingEqualsOrSpaces() {
        String output = "ExecMainStartTimestamp=Mon 2026-11-23 11:13:54 UTC\n"
                + "Environment=A=1 B=2\n"
                + "LoadState=loaded\nActiveState=active\nSubState=running\n";

        UnitStatus status = SystemctlShowParser.parse(output);

        assertEquals(new UnitStatus("loaded", "active", "running", null, null, null, null, null, null), status);
    }

    @Test
    void unparsableNumberBecomesNull() {
        UnitStatus status = SystemctlShowParser.parse("MainPID=abc\nNRestarts=\nLoadState=loaded\n");

        assertEquals(new UnitStatus("loaded", null, null, null, null, null, null, null, null), status);
    }

    @Test
    void emptyOutputGivesAllNulls() {
        assertEquals(new UnitStatus(null, null, null, null, null, null, null, null, null), SystemctlShowParser.parse(""));
    }
}
