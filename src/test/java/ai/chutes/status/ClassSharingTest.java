package ai.chutes.status;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The vm-info strings of JDK 17 with and without an archive mapped (`java -version`); ansible/tests/check-cds.sh
 * checks the warning itself on an agent started with a stale archive.
 */
class ClassSharingTest {

    @Test
    void sharingIsReadFromTheVmInfo() {
        assertTrue(ClassSharing.isOn("mixed mode, sharing"));
        assertFalse(ClassSharing.isOn("mixed mode"), "-Xshare:auto with a stale or missing archive");
        assertFalse(ClassSharing.isOn(null));
    }
}
