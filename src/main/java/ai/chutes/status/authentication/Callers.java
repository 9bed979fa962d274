package ai.chutes.status.authentication;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns a connection and the request's Authorization header into a {@link Caller}. */
@Singleton
public final class Callers {

    private static final String BEARER = "bearer ";

    private final Optional<TokenFile> tokens;

    Callers(AuthenticationSettings settings) {
        this.tokens = settings.tokenFile().map(TokenFile::new);
    }

    /**
     * @param authorization every Authorization header of the request; more than one counts as none, so
     *                      a proxy and the agent can never disagree about which one was meant
     */
    public Caller identify(Connection connection, List<String> authorization) {
        if (tokens.isEmpty() || authorization.size() != 1) {
            return new Caller(connection, null);
        }
        String header = authorization.get(0);
        if (header.length() <= BEARER.length() || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return new Caller(connection, null);
        }
        String token = header.substring(BEARER.length()).strip();
        return new Caller(connection, tokens.get().match(token).orElse(null));
    }
}
