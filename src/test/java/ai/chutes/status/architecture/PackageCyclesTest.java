package ai.chutes.status.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * No package of the agent depends, directly or through others, on a package that depends on it. Every
 * package is its own slice, the root ({@code ai.chutes.status}) and sub-packages ({@code push.vsock})
 * included, so a cycle through any of them fails; test code is not part of the picture.
 */
@AnalyzeClasses(packages = "ai.chutes.status", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

    private static final String ROOT = "ai.chutes.status";

    /** One slice per Java package under the root; classes outside it (libraries, the JDK) are ignored. */
    static final SliceAssignment EACH_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            return name.equals(ROOT) || name.startsWith(ROOT + ".") ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "each package under " + ROOT;
        }
    };

    @ArchTest
    static final ArchRule noPackageCycles = slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles();
}
