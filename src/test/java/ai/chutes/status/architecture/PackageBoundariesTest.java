package ai.chutes.status.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Which way the request-side packages may depend on each other, beyond having no cycle: the audit reads
 * authentication's caller and verdict, never the reverse; request hygiene stands on its own; the
 * controllers know nothing of who asked or how the request was screened. Each subsystem owns its meters
 * and uses the shared machinery of {@code metrics/}, which knows none of them.
 */
@AnalyzeClasses(packages = "ai.chutes.status", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageBoundariesTest {

    private static final String ROOT = "ai.chutes.status.";

    @ArchTest
    static final ArchRule authenticationDoesNotKnowTheAudit = noClasses().that().resideInAPackage(ROOT + "authentication..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + "audit..", ROOT + "hygiene..", ROOT + "api..");

    @ArchTest
    static final ArchRule hygieneStandsAlone = noClasses().that().resideInAPackage(ROOT + "hygiene..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + "authentication..", ROOT + "audit..", ROOT + "api..");

    @ArchTest
    static final ArchRule controllersDoNotScreenRequests = noClasses().that().resideInAPackage(ROOT + "api..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + "authentication..", ROOT + "audit..", ROOT + "hygiene..");

    @ArchTest
    static final ArchRule metricsKnowsNoSubsystem = noClasses().that().resideInAPackage(ROOT + "metrics..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + "command..", ROOT + "gpu..", ROOT + "systemd..",
                    ROOT + "overview..", ROOT + "push..", ROOT + "authentication..", ROOT + "audit..", ROOT + "api..");
}
