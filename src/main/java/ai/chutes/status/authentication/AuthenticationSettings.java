package ai.chutes.status.authentication;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Who may ask, validated at start-up. Every mode is off by default.
 *
 * @param tokenFile          bearer tokens, one per line ({@code status.auth.token-file})
 * @param metricsOpen        {@code /metrics} answers without credentials ({@code status.auth.metrics-open})
 * @param clientCertificates mutual TLS on the HTTPS listener ({@code status.tls.client-ca-path}, {@code client-auth})
 * @param peers              unix-socket peers let in by their kernel credentials ({@code status.uds-allowed-*})
 * @param rateLimit          per-caller request rate ({@code status.rate-limit.*})
 */
public record AuthenticationSettings(
        Optional<Path> tokenFile,
        boolean metricsOpen,
        Optional<ClientCertificates> clientCertificates,
        PeerAllowlist peers,
        RateLimit rateLimit) {

    /** The defaults: nothing required. */
    public static AuthenticationSettings open() {
        return new AuthenticationSettings(Optional.empty(), false, Optional.empty(), PeerAllowlist.NONE, RateLimit.OFF);
    }

    /** @param required the TLS handshake fails without a client certificate (else a token may stand in) */
    public record ClientCertificates(Path caBundle, boolean required) {
    }

    /** Tokens per second per caller and the bucket size; {@code perSecond == 0} turns the limit off. */
    public record RateLimit(double perSecond, int burst) {

        public static final RateLimit OFF = new RateLimit(0, 1);

        public boolean enabled() {
            return perSecond > 0;
        }
    }
}
