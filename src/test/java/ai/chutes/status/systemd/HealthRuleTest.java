package ai.chutes.status.systemd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.chutes.status.Fixtures;
import org.junit.jupiter.api.Test;

/** The health rule over real captures, plus synthetic states for which no capture exists. */
class HealthRuleTest {

    private static final ServiceEntry PLAIN = entry(false, false);
    private static final ServiceEntry MASKED_OK = entry(true, false);
    private static final ServiceEntry ONESHOT = entry(false, true);
    private static final ServiceEntry MASKED_OK_ONESHOT = entry(true, true);

    private static ServiceEntry entry(boolean maskedOk, boolean oneshot) {
        return new ServiceEntry("demo", "demo.service", "Demo", maskedOk, oneshot);
    }

    private static UnitStatus capture(String fileName) {
        return SystemctlShowParser.parse(Fixtures.systemdOutput(fileName));
    }

    @Test
    void runningServiceIsHealthy() {
        UnitStatus running = capture("show-running.txt");

        assertTrue(HealthRule.healthy(PLAIN, running));
        assertTrue(HealthRule.healthy(MASKED_OK_ONESHOT, running));
    }

    @Test
    void failedServiceIsUnhealthyWhateverTheEntryAllows() {
        UnitStatus failed = capture("show-failed.txt");

        assertFalse(HealthRule.healthy(PLAIN, failed));
        assertFalse(HealthRule.healthy(MASKED_OK_ONESHOT, failed));
    }

    @Test
    void notFoundUnitIsUnhealthyWhateverTheEntryAllows() {
        UnitStatus notFound = capture("show-notfound.txt");

        assertFalse(HealthRule.healthy(PLAIN, notFound));
        assertFalse(HealthRule.healthy(MASKED_OK, notFound));
        assertFalse(HealthRule.healthy(ONESHOT, notFound));
        assertFalse(HealthRule.healthy(MASKED_OK_ONESHOT, notFound));
    }

    @Test
    void maskedUnitIsHealthyOnlyWhenMaskedIsOk() {
        UnitStatus masked = new UnitStatus("masked", "inactive", "dead", "masked", 0, 0, 0, 0, "success");

        assertTrue(HealthRule.healthy(MASKED_OK, masked));
        assertFalse(HealthRule.healthy(PLAIN, masked));
        assertFalse(HealthRule.healthy(ONESHOT, masked));
    }

    @Test
    void oneshotThatExitedWithStatusZeroIsHealthyOnlyForOneshotEntries() {
        UnitStatus exitedOk = new UnitStatus("loaded", "active", "exited", "enabled", 0, 1, 0, 0, "success");

        assertTrue(HealthRule.healthy(ONESHOT, exitedOk));
        assertFalse(HealthRule.healthy(PLAIN, exitedOk));
        assertFalse(HealthRule.healthy(MASKED_OK, exitedOk));
    }

    @Test
    void oneshotThatExitedWithStatusOneIsUnhealthy() {
        UnitStatus exitedFailing = new UnitStatus("loaded", "active", "exited", "enabled", 0, 1, 1, 0, "success");

        assertFalse(HealthRule.healthy(ONESHOT, exitedFailing));
        assertFalse(HealthRule.healthy(PLAIN, exitedFailing));
    }

    @Test
    void oneshotThatExitedWithUnknownStatusIsUnhealthy() {
        UnitStatus exitedUnknown = new UnitStatus("loaded", "active", "exited", "enabled", null, null, null, null, null);

        assertFalse(HealthRule.healthy(ONESHOT, exitedUnknown));
    }

    @Test
    void listeningUnitIsHealthy() {
        UnitStatus listening = new UnitStatus("loaded", "active", "listening", "enabled", 0, 0, 0, 0, "success");

        assertTrue(HealthRule.healthy(PLAIN, listening));
    }

    @Test
    void inactiveLoadedUnitIsUnhealthy() {
        UnitStatus inactive = new UnitStatus("loaded", "inactive", "dead", "disabled", 0, 0, 0, 0, "success");

        assertFalse(HealthRule.healthy(PLAIN, inactive));
        assertFalse(HealthRule.healthy(MASKED_OK_ONESHOT, inactive));
    }
}
