package ai.chutes.status.config;

import ai.chutes.status.access.AccessSettings;
import ai.chutes.status.access.PeerAllowlist;
import ai.chutes.status.access.TokenFile;
import ai.chutes.status.redact.RedactionSettings;
import io.micronaut.core.value.PropertyResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the keys that decide who may ask ({@code status.auth.*}, {@code status.tls.client-*},
 * {@code status.uds-*} beyond the path, {@code status.rate-limit.*}, {@code status.audit.*},
 * {@code status.request-read-timeout}) and what may leave ({@code status.redaction.patterns}), refusing
 * anything unsafe or inconsistent with one sentence that names the key.
 */
final class SecuritySettingsReader {

    private static final Pattern OCTAL_MODE = Pattern.compile("0?[0-7]{3}");
    private static final double MAX_RATE = 1_000_000;

    private final TypedProperties properties;
    private final UserPrincipalLookupService principals = FileSystems.getDefault().getUserPrincipalLookupService();

    SecuritySettingsReader(PropertyResolver properties) {
        this.properties = new TypedProperties(properties);
    }

    /**
     * @param https      the TCP listener serves HTTPS (client certificates need it)
     * @param unixSocket a unix socket is configured (its mode, owner and allowlist need it)
     */
    AccessSettings access(boolean https, boolean unixSocket) {
        return new AccessSettings(tokenFile(), properties.bool("status.auth.metrics-open", false),
                clientCertificates(https), peers(unixSocket), rateLimit(), properties.bool("status.audit.enabled", true),
                requestReadTimeout(), answerWriteTimeout());
    }

    UnixSocketOwnership socketOwnership(boolean unixSocket) {
        if (!unixSocket) {
            for (String key : List.of("status.uds-mode", "status.uds-owner", "status.uds-group")) {
                if (properties.isSet(key)) {
                    throw invalid(key + " needs status.uds-path (there is no unix socket to apply it to)");
                }
            }
            return UnixSocketOwnership.DEFAULT;
        }
        String rawMode = properties.string("status.uds-mode", "0660");
        if (!OCTAL_MODE.matcher(rawMode).matches()) {
            throw invalid("status.uds-mode must be an octal mode such as 0660, got '" + rawMode + "'");
        }
        Set<PosixFilePermission> mode = permissions(Integer.parseInt(rawMode, 8));
        Optional<UserPrincipal> owner = Optional.of(properties.string("status.uds-owner", ""))
                .filter(name -> !name.isEmpty()).map(name -> user("status.uds-owner", name));
        Optional<GroupPrincipal> group = Optional.of(properties.string("status.uds-group", ""))
                .filter(name -> !name.isEmpty()).map(name -> group("status.uds-group", name));
        return new UnixSocketOwnership(mode, owner, group);
    }

    RedactionSettings redaction() {
        List<String> raw = properties.list("status.redaction.patterns");
        List<Pattern> patterns = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String key = "status.redaction.patterns[" + i + "]";
            Pattern pattern;
            try {
                pattern = Pattern.compile(raw.get(i));
            } catch (PatternSyntaxException e) {
                throw invalid(key + " is not a valid regular expression: " + e.getDescription());
            }
            if (pattern.matcher("").find()) {
                throw invalid(key + " matches the empty string, so it would match everywhere; make it match at least one character");
            }
            patterns.add(pattern);
        }
        return new RedactionSettings(patterns);
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

    private Optional<AccessSettings.ClientCertificates> clientCertificates(boolean https) {
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
        return Optional.of(new AccessSettings.ClientCertificates(ca.get(), required));
    }

    private PeerAllowlist peers(boolean unixSocket) {
        List<String> uids = properties.list("status.uds-allowed-uids");
        List<String> gids = properties.list("status.uds-allowed-gids");
        if (!unixSocket && (!uids.isEmpty() || !gids.isEmpty())) {
            throw invalid("status.uds-allowed-uids and -gids need status.uds-path (there is no unix socket to guard)");
        }
        Set<UserPrincipal> users = new HashSet<>();
        uids.forEach(name -> users.add(user("status.uds-allowed-uids", name)));
        Set<GroupPrincipal> groups = new HashSet<>();
        gids.forEach(name -> groups.add(group("status.uds-allowed-gids", name)));
        return new PeerAllowlist(users, groups);
    }

    private AccessSettings.RateLimit rateLimit() {
        double perSecond = properties.number("status.rate-limit.per-second", 0);
        if (perSecond < 0 || perSecond > MAX_RATE) {
            throw invalid("status.rate-limit.per-second must be between 0 (off) and 1000000, got " + perSecond);
        }
        Optional<Integer> burst = properties.integer("status.rate-limit.burst");
        if (perSecond == 0) {
            if (burst.isPresent()) {
                throw invalid("status.rate-limit.burst needs status.rate-limit.per-second above 0");
            }
            return AccessSettings.RateLimit.OFF;
        }
        int size = burst.orElse((int) Math.max(1, Math.ceil(2 * perSecond)));
        if (size < 1 || size > MAX_RATE) {
            throw invalid("status.rate-limit.burst must be between 1 and 1000000, got " + size);
        }
        return new AccessSettings.RateLimit(perSecond, size);
    }

    private Duration requestReadTimeout() {
        Duration timeout = properties.duration("status.request-read-timeout", Duration.ofSeconds(10));
        if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw invalid("status.request-read-timeout must be between 100ms and 10m, got " + timeout);
        }
        return timeout;
    }

    private Duration answerWriteTimeout() {
        Duration timeout = properties.duration("status.answer-write-timeout", Duration.ofSeconds(10));
        if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw invalid("status.answer-write-timeout must be between 100ms and 10m, got " + timeout);
        }
        return timeout;
    }

    /** A user name, or a number (a uid need not have a name). */
    private UserPrincipal user(String key, String name) {
        try {
            return principals.lookupPrincipalByName(name);
        } catch (IOException e) {
            throw invalid(key + ": no user '" + name + "' on this host (give a name or a numeric uid)");
        }
    }

    private GroupPrincipal group(String key, String name) {
        try {
            return principals.lookupPrincipalByGroupName(name);
        } catch (IOException e) {
            throw invalid(key + ": no group '" + name + "' on this host (give a name or a numeric gid)");
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(bits[bit]);
            }
        }
        return set;
    }

    private static InvalidConfigurationException invalid(String message) {
        return new InvalidConfigurationException(message);
    }
}
