package ai.chutes.status.config;

import ai.chutes.status.authentication.AuthenticationSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start-up which listener stays open to anyone although some authentication is configured: an
 * operator who set a peer allowlist may not expect the TCP port to answer everyone.
 */
final class OpenListeners {

    private static final Logger LOG = LoggerFactory.getLogger(OpenListeners.class);

    private OpenListeners() {
    }

    static void warn(AgentSettings settings) {
        AuthenticationSettings access = settings.authentication();
        boolean tokens = access.tokenFile().isPresent();
        boolean anyMode = tokens || access.clientCertificates().isPresent() || access.peers().active();
        if (!anyMode) {
            return;
        }
        if (!tokens && access.clientCertificates().isEmpty()) {
            LOG.warn("status.auth: the TCP listener on {}:{} answers anyone (set status.auth.token-file or"
                    + " status.tls.client-ca-path to protect it)", settings.listeners().bindAddress(), settings.listeners().port());
        }
        settings.listeners().unixSocket().filter(path -> !tokens && !access.peers().active()).ifPresent(path ->
                LOG.warn("status.auth: the unix socket {} answers anyone who may open it (its file mode decides;"
                        + " set status.uds-allowed-uids or -gids to check peers)", path));
    }
}
