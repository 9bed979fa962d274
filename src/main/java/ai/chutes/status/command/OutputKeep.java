package ai.chutes.status.command;

/** Which end of an over-long stream survives the byte cap. */
public enum OutputKeep {
    /** Keep the first bytes (reports: the header matters most). */
    HEAD,
    /** Keep the last bytes (logs: the newest lines matter most). */
    TAIL
}
