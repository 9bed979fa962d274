package ai.chutes.status.config;

import static ai.chutes.status.settings.TypedProperties.invalid;
import static ai.chutes.status.settings.TypedProperties.readableFile;

import ai.chutes.status.access.AccessSettingsReader;
import ai.chutes.status.command.RunnerSettings;
import ai.chutes.status.metrics.MetricsSettings;
import ai.chutes.status.push.PushSettings;
import ai.chutes.status.redact.RedactionSettings;
import ai.chutes.status.settings.TypedProperties;
import ai.chutes.status.systemd.ServiceSettings;
import io.micronaut.core.value.PropertyResolver;
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
 * Assembles {@link AgentSettings} from the {@code status.*} properties (application.yml, {@code -D},
 * environment variables: whatever Micronaut resolves). Each capability reads its own keys (its settings'
 * {@code read}); this class reads only the listeners' keys (address, port, unix socket, TLS files), which
 * are the server's set-up that config/ owns. Anything unsafe is refused with one sentence naming the key.
 */
public final class SettingsReader {

    private static final Pattern OCTAL_MODE = Pattern.compile("0?[0-7]{3}");

    private final TypedProperties properties;

    public SettingsReader(PropertyResolver properties) {
        this.properties = new TypedProperties(properties);
    }

    public AgentSettings read() {
        Optional<Path> unixSocket = properties.absolutePath("status.uds-path");
        Optional<TlsFiles> tls = tls();
        return new AgentSettings(
                properties.string("status.bind-address", "0.0.0.0"),
                port(),
                unixSocket,
                tls,
                RunnerSettings.read(properties),
                PushSettings.read(properties),
                ServiceSettings.read(properties),
                MetricsSettings.read(properties),
                socketOwnership(unixSocket.isPresent()),
                new AccessSettingsReader(properties).read(tls.isPresent(), unixSocket.isPresent()),
                RedactionSettings.read(properties));
    }

    private int port() {
        int port = properties.integer("status.port", 8080);
        if (port < -1 || port > 65535) {
            throw invalid("status.port must be between 0 and 65535 (or -1 for a random port), got " + port);
        }
        return port;
    }

    private Optional<TlsFiles> tls() {
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

    private UnixSocketOwnership socketOwnership(boolean unixSocket) {
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
