package ai.chutes.status.systemd;

/**
 * One allowlisted unit. {@code maskedOk}: a masked unit counts as healthy (fabric manager on hosts
 * without NVSwitch). {@code oneshot}: {@code active/exited} with exit status 0 counts as healthy.
 */
public record ServiceEntry(String id, String unit, String description, boolean maskedOk, boolean oneshot) {
}
