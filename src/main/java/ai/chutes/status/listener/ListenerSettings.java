package ai.chutes.status.listener;

import static ai.chutes.status.settings.TypedProperties.invalid;
import static ai.chutes.status.settings.TypedProperties.readableFile;

import ai.chutes.status.settings.TypedProperties;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the agent listens: {@code status.bind-address}, {@code status.port}, the unix socket
 * ({@code status.uds-path}, {@code -mode}, {@code -owner}, {@code -group}) and HTTPS ({@code status.tls.cert-path},
 * {@code key-path}).
 */
public record ListenerSettings(
        String bindAddress,
        int port,
        Optional<Path> unixSocket,
        Optional<TlsFiles> tls,
        UnixSocketOwnership unixSocketOwnership) {

    private static final Pattern OCTAL_MODE = Pattern.compile("0?[0-7]{3}");

    /** The listeners' keys, with the documented defaults; anything unsafe is refused with the key named. */
    public static ListenerSettings read(TypedProperties properties) {
        Optional<Path> unixSocket = properties.absolutePath("status.uds-path");
        return new ListenerSettings(properties.string("status.bind-address", "0.0.0.0"), port(properties), unixSocket,
                tls(properties), socketOwnership(properties, unixSocket.isPresent()));
    }

    private static int port(TypedProperties properties) {
        int port = properties.integer("status.port", 8080);
        if (port < -1 || port > 65535) {
            throw invalid("status.port must be between 0 and 65535 (or -1 for a random port), got " + port);
        }
        return port;
    }

    private static Optional<TlsFiles> tls(TypedProperties properties) {
        String cert = properties.string("status.tls.cert-path", "");
        String key = properties.string("status.tls.key-path", "");
        if (cert.isBlank() && key.isBlank()) {
            return Optional.empty();
        }
        if (cert.isBlank() || key.isBlank()) {
            throw invalid("status.tls.cert-path and status.tls.key-path must be set together (HTTPS needs both)");
        }
        return Optional.of(new TlsFiles(readableFile("status.tls.cert-path", cert), readableFile("status.tls.key-path", key)));
    }

    private static UnixSocketOwnership socketOwnership(TypedProperties properties, boolean unixSocket) {
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
                .filter(name -> !name.isEmpty()).map(name -> properties.user("status.uds-owner", name));
        Optional<GroupPrincipal> group = Optional.of(properties.string("status.uds-group", ""))
                .filter(name -> !name.isEmpty()).map(name -> properties.group("status.uds-group", name));
        return new UnixSocketOwnership(mode, owner, group);
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
}
