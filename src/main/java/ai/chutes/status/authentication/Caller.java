package ai.chutes.status.authentication;

/**
 * Who sent one request: its connection and, when it presented one that is in the token file, its
 * token's id (never the token).
 */
public record Caller(Connection connection, String tokenId) {

    /**
     * The request attribute under which a caller identified before the access filter (by the audit
     * handler, when the request's headers arrived) is left for it, so a request is identified once.
     */
    public static final String ATTRIBUTE = "system-status.caller";

    /** The strongest identity known, for the audit log and as the rate-limit key. */
    public String identity() {
        if (tokenId != null) {
            return "token:" + tokenId;
        }
        if (connection.subject() != null) {
            return "cert:" + connection.subject();
        }
        if (connection.listener() == Connection.Listener.UNIX) {
            return connection.peer() == null ? "peer:unknown" : "peer:" + connection.peerName();
        }
        return "addr:" + connection.remoteHost();
    }
}
