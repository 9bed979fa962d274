package ai.chutes.status.architecture;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The cycle rule can fail: applied to two test packages that use each other ({@code cycle.hen} and
 * {@code cycle.egg}) it reports the cycle, and applied to one of them alone it passes.
 */
class CycleDetectionTest {

    @Test
    void aCycleBetweenTwoPackagesIsReported() {
        JavaClasses cyclic = new ClassFileImporter().importPackages("ai.chutes.status.architecture.cycle");
        AssertionError failure = assertThrows(AssertionError.class, () -> PackageCyclesTest.noPackageCycles.check(cyclic));
        assertTrue(failure.getMessage().contains("cycle.hen") && failure.getMessage().contains("cycle.egg"), failure.getMessage());
    }

    @Test
    void onePackageAloneHasNoCycle() {
        JavaClasses hen = new ClassFileImporter().importPackages("ai.chutes.status.architecture.cycle.hen");
        assertDoesNotThrow(() -> PackageCyclesTest.noPackageCycles.check(hen));
    }
}
