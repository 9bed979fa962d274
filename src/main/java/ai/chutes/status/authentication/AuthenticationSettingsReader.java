package ai.chutes.status.authentication;

import static ai.chutes.status.settings.TypedProperties.invalid;

import ai.chutes.status.settings.TypedProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the keys that decide who may ask ({@code status.auth.*}, {@code status.tls.client-*},
 * {@code status.uds-allowed-*}, {@code status.rate-limit.*}), refusing anything unsafe or inconsistent with one sentence that
 * names the key.
 */
public final class AuthenticationSettingsReader {

    private static final double MAX_RATE = 1_000_000;

    private final TypedProperties properties;

    public AuthenticationSettingsReader(TypedProperties properties) {
        this.properties = properties;
    }

    /**
     * @param https      the TCP listener serves HTTPS (client certificates need it)
     * @param unixSocket a unix socket is configured (its mode, owner and allowlist need it)
     */
    public AuthenticationSettings read(boolean https, boolean unixSocket) {
        return new AuthenticationSettings(tokenFile(), properties.bool("status.auth.metrics-open", false),
                clientCertificates(https), peers(unixSocket), rateLimit());
    }

    private Optional<Path> tokenFile() {
        Optional<Path> path = properties.absolutePath("status.auth.token-file");
        path.ifPresent(file -> {
            try {
                TokenFile.validate(file);
            } catch (IllegalArgumentException e) {
                throw invalid("status.auth.token-file " + file + " " + e.getMessage());
            }
        });
        return path;
    }

    private Optional<AuthenticationSettings.ClientCertificates> clientCertificates(boolean https) {
        Optional<Path> ca = properties.absolutePath("status.tls.client-ca-path");
        String rawMode = properties.string("status.tls.client-auth", "");
        if (ca.isEmpty()) {
            if (!rawMode.isEmpty()) {
                throw invalid("status.tls.client-auth needs status.tls.client-ca-path (the CA that signs client certificates)");
            }
            return Optional.empty();
        }
        if (!https) {
            throw invalid("status.tls.client-ca-path needs HTTPS: set status.tls.cert-path and status.tls.key-path too");
        }
        boolean required = switch (rawMode.isEmpty() ? "required" : rawMode.toLowerCase(Locale.ROOT)) {
            case "required" -> true;
            case "optional" -> false;
            default -> throw invalid("status.tls.client-auth must be required or optional, got '" + rawMode + "'");
        };
        int count;
        try (InputStream in = Files.newInputStream(ca.get())) {
            count = CertificateFactory.getInstance("X.509").generateCertificates(in).size();
        } catch (IOException e) {
            throw invalid("status.tls.client-ca-path is not a readable file: " + ca.get());
        } catch (CertificateException e) {
            throw invalid("status.tls.client-ca-path " + ca.get() + " does not hold PEM certificates");
        }
        if (count == 0) {
            throw invalid("status.tls.client-ca-path " + ca.get() + " holds no certificate");
        }
        return Optional.of(new AuthenticationSettings.ClientCertificates(ca.get(), required));
    }

    private PeerAllowlist peers(boolean unixSocket) {
        List<String> uids = properties.list("status.uds-allowed-uids");
        List<String> gids = properties.list("status.uds-allowed-gids");
        if (!unixSocket && (!uids.isEmpty() || !gids.isEmpty())) {
            throw invalid("status.uds-allowed-uids and -gids need status.uds-path (there is no unix socket to guard)");
        }
        Set<UserPrincipal> users = new HashSet<>();
        uids.forEach(name -> users.add(properties.user("status.uds-allowed-uids", name)));
        Set<GroupPrincipal> groups = new HashSet<>();
        gids.forEach(name -> groups.add(properties.group("status.uds-allowed-gids", name)));
        return new PeerAllowlist(users, groups);
    }

    private AuthenticationSettings.RateLimit rateLimit() {
        double perSecond = properties.number("status.rate-limit.per-second", 0);
        if (perSecond < 0 || perSecond > MAX_RATE) {
            throw invalid("status.rate-limit.per-second must be between 0 (off) and 1000000, got " + perSecond);
        }
        Optional<Integer> burst = properties.integer("status.rate-limit.burst");
        if (perSecond == 0) {
            if (burst.isPresent()) {
                throw invalid("status.rate-limit.burst needs status.rate-limit.per-second above 0");
            }
            return AuthenticationSettings.RateLimit.OFF;
        }
        int size = burst.orElse((int) Math.max(1, Math.ceil(2 * perSecond)));
        if (size < 1 || size > MAX_RATE) {
            throw invalid("status.rate-limit.burst must be between 1 and 1000000, got " + size);
        }
        return new AuthenticationSettings.RateLimit(perSecond, size);
    }
}
