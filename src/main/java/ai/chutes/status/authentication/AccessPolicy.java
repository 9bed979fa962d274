package ai.chutes.status.authentication;

import jakarta.inject.Singleton;

/**
 * Who may ask what. {@code /health} is always open (liveness probes); {@code /metrics} is open when
 * {@code status.auth.metrics-open} says so. Otherwise a listener is protected when a mode applies to it:
 * <ul>
 *   <li>unix socket with a peer allowlist: only listed peers, by their kernel credentials (a token
 *       cannot stand in for a refused peer: the kernel's word is stronger than a copied secret);</li>
 *   <li>any listener when a token file is set: a valid bearer token;</li>
 *   <li>HTTPS with a client CA: a verified client certificate (or a valid token, when one is set).</li>
 * </ul>
 * A listener no mode applies to stays open, as before this existed.
 */
@Singleton
public final class AccessPolicy {

    private final AuthenticationSettings settings;

    AccessPolicy(AuthenticationSettings settings) {
        this.settings = settings;
    }

    public Verdict decide(Caller caller, String path) {
        if (isOpen(path)) {
            return Verdict.OPEN;
        }
        Connection connection = caller.connection();
        if (connection.listener() == Connection.Listener.UNIX && settings.peers().active()) {
            return connection.peer() != null && settings.peers().admits(connection.peer()) ? Verdict.ALLOWED : Verdict.FORBIDDEN;
        }
        boolean tokens = settings.tokenFile().isPresent();
        boolean certificates = connection.listener() == Connection.Listener.HTTPS && settings.clientCertificates().isPresent();
        if (!tokens && !certificates) {
            return Verdict.ALLOWED;
        }
        if (caller.tokenId() != null || (certificates && connection.subject() != null)) {
            return Verdict.ALLOWED;
        }
        return tokens ? Verdict.UNAUTHORIZED : Verdict.FORBIDDEN;
    }

    /** Exact paths (a trailing slash is served the same): anything else, however it routes, is checked. */
    private boolean isOpen(String path) {
        return path.equals("/health") || path.equals("/health/")
                || (settings.metricsOpen() && (path.equals("/metrics") || path.equals("/metrics/")));
    }
}
