package ai.chutes.status.command;

/** The only three programs the agent ever starts. */
public enum Program {
    SYSTEMCTL("systemctl"),
    JOURNALCTL("journalctl"),
    NVIDIA_SMI("nvidia-smi");

    private final String displayName;

    Program(String displayName) {
        this.displayName = displayName;
    }

    /** The bare program name: shown to clients and used in metrics instead of the host path. */
    public String displayName() {
        return displayName;
    }
}
