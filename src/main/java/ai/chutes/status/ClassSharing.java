package ai.chutes.status;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once, as the agent starts, when the JVM runs without class-data sharing. The role's archive is one
 * static archive, and the JVM drops a stale or missing one silently (only -Xlog:cds says why), so
 * without this line an agent that starts in twice the time would give no sign of it.
 */
final class ClassSharing {

    private static final Logger LOG = LoggerFactory.getLogger(ClassSharing.class);

    private ClassSharing() {
    }

    /** Whether the JVM maps a class-data archive: HotSpot's {@code java.vm.info} then says "sharing". */
    static boolean isOn(String vmInfo) {
        return vmInfo != null && vmInfo.contains("sharing");
    }

    static void warnIfOff() {
        if (!isOn(System.getProperty("java.vm.info"))) {
            LOG.warn("class-data sharing is off, so start-up takes about twice as long: the archive that "
                    + "-XX:SharedArchiveFile names is missing or was built for another jar or JRE (the role rebuilds it), "
                    + "or no archive was named and this JRE has none of its own");
        }
    }
}
