package ai.chutes.status.config;

import ai.chutes.status.command.Program;
import ai.chutes.status.overview.OverviewSettings;
import ai.chutes.status.push.AgentIdentity;
import ai.chutes.status.push.PushAddress;
import ai.chutes.status.push.PushSettings;
import ai.chutes.status.push.vsock.VsockSockets;
import ai.chutes.status.systemd.ServiceAllowlist;
import ai.chutes.status.systemd.ServiceEntry;
import io.micronaut.core.type.Argument;
import io.micronaut.core.value.PropertyResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code status.*} properties (application.yml, {@code -D}, environment variables: whatever
 * Micronaut resolves) into {@link AgentSettings}, with the defaults the README documents, and refuses
 * anything unsafe with one clear sentence.
 */
public final class SettingsReader {

    private static final Pattern SERVICE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** A unit name systemd accepts and that can never be read as an option (no leading dash). */
    private static final Pattern UNIT_NAME =
            Pattern.compile("[A-Za-z0-9_][A-Za-z0-9@._:\\\\-]{0,240}\\.(service|socket|target|timer|mount|path|slice|scope)");
    private static final Map<Program, String> DEFAULT_BINARIES = Map.of(
            Program.SYSTEMCTL, "/usr/bin/systemctl",
            Program.JOURNALCTL, "/usr/bin/journalctl",
            Program.NVIDIA_SMI, "/usr/bin/nvidia-smi");

    private final PropertyResolver properties;

    public SettingsReader(PropertyResolver properties) {
        this.properties = properties;
    }

    public AgentSettings read() {
        Optional<Path> unixSocket = unixSocket();
        Optional<TlsFiles> tls = tls();
        SecuritySettingsReader security = new SecuritySettingsReader(properties);
        return new AgentSettings(
                string("status.bind-address", "0.0.0.0"),
                port(),
                unixSocket,
                tls,
                runner(),
                push(),
                services(),
                metrics(),
                overview(),
                security.socketOwnership(unixSocket.isPresent()),
                security.access(tls.isPresent(), unixSocket.isPresent()),
                security.redaction());
    }

    private int port() {
        int port = integer("status.port", 8080);
        if (port < -1 || port > 65535) {
            throw invalid("status.port must be between 0 and 65535 (or -1 for a random port), got " + port);
        }
        return port;
    }

    private Optional<Path> unixSocket() {
        String raw = string("status.uds-path", "");
        if (raw.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(absolute("status.uds-path", raw));
    }

    private Optional<TlsFiles> tls() {
        String cert = string("status.tls.cert-path", "");
        String key = string("status.tls.key-path", "");
        if (cert.isBlank() && key.isBlank()) {
            return Optional.empty();
        }
        if (cert.isBlank() || key.isBlank()) {
            throw invalid("status.tls.cert-path and status.tls.key-path must be set together (HTTPS needs both)");
        }
        return Optional.of(new TlsFiles(readableFile("status.tls.cert-path", cert), readableFile("status.tls.key-path", key)));
    }

    private RunnerSettings runner() {
        Map<Program, Path> binaries = new EnumMap<>(Program.class);
        for (Program program : Program.values()) {
            String key = "status.commands." + program.displayName();
            binaries.put(program, absolute(key, string(key, DEFAULT_BINARIES.get(program))));
        }
        Duration timeout = duration("status.command-timeout", Duration.ofSeconds(10));
        if (timeout.isZero() || timeout.isNegative()) {
            throw invalid("status.command-timeout must be positive, got " + timeout);
        }
        int maxOutput = integer("status.max-output-bytes", 16 * 1024);
        if (maxOutput < 1024 || maxOutput > 16 * 1024 * 1024) {
            throw invalid("status.max-output-bytes must be between 1024 and 16777216, got " + maxOutput);
        }
        Duration ttl = duration("status.cache-ttl", Duration.ofSeconds(2));
        if (ttl.isNegative()) {
            throw invalid("status.cache-ttl must not be negative, got " + ttl);
        }
        // 12: an overview runs 3 commands at once (one systemctl for every unit, the nvidia-smi summary and
        // the GPU query), leaving slots for the single-unit endpoints and a metrics collection beside it.
        int concurrency = integer("status.max-concurrent-commands", 12);
        if (concurrency < 1 || concurrency > 64) {
            throw invalid("status.max-concurrent-commands must be between 1 and 64, got " + concurrency);
        }
        return new RunnerSettings(binaries, timeout, maxOutput, ttl, concurrency);
    }

    private MetricsSettings metrics() {
        Duration minInterval = duration("status.metrics.min-interval", Duration.ofSeconds(10));
        if (minInterval.isNegative() || minInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw invalid("status.metrics.min-interval must be between 0s and 1h, got " + minInterval);
        }
        return new MetricsSettings(minInterval);
    }

    private OverviewSettings overview() {
        Duration ttl = duration("status.cache-ttl", Duration.ofSeconds(2));
        Duration maxStaleness = duration("status.overview.max-staleness", Duration.ofSeconds(30));
        if (maxStaleness.compareTo(ttl) < 0 || maxStaleness.compareTo(Duration.ofHours(1)) > 0) {
            throw invalid("status.overview.max-staleness must be between status.cache-ttl and 1h, got " + maxStaleness);
        }
        return new OverviewSettings(ttl, maxStaleness);
    }

    private PushSettings push() {
        boolean enabled = bool("status.push.enabled", true);
        String rawAddress = string("status.push.address", "auto");
        PushAddress address;
        try {
            address = PushAddress.parse(rawAddress, VsockSockets::localCid);
        } catch (IllegalArgumentException e) {
            throw invalid("status.push.address " + e.getMessage() + ", got '" + rawAddress + "'");
        }
        String rawMode = string("status.push.mode", "dial").toLowerCase(Locale.ROOT);
        PushSettings.Mode mode = switch (rawMode) {
            case "dial" -> PushSettings.Mode.DIAL;
            case "listen" -> PushSettings.Mode.LISTEN;
            default -> throw invalid("status.push.mode must be dial or listen, got '" + rawMode + "'");
        };
        Duration interval = atLeast("status.push.interval", Duration.ofSeconds(10), Duration.ofMillis(10));
        Duration backoffInitial = atLeast("status.push.backoff-initial", Duration.ofMillis(500), Duration.ofMillis(10));
        Duration backoffMax = atLeast("status.push.backoff-max", Duration.ofSeconds(30), backoffInitial);
        Duration writeTimeout = atLeast("status.push.write-timeout", Duration.ofSeconds(10), Duration.ofMillis(100));
        String agentId = properties.getProperty("status.push.agent-id", String.class).map(String::trim)
                .filter(id -> !id.isEmpty()).orElseGet(AgentIdentity::defaultId);
        if (!AgentIdentity.VALID.matcher(agentId).matches()) {
            throw invalid("status.push.agent-id must be 1-64 letters, digits, '.', '_' or '-', got '" + agentId + "'");
        }
        return new PushSettings(enabled, address, mode, interval, backoffInitial, backoffMax, writeTimeout, agentId);
    }

    private Duration atLeast(String key, Duration fallback, Duration minimum) {
        Duration value = duration(key, fallback);
        if (value.compareTo(minimum) < 0) {
            throw invalid(key + " must be at least " + minimum.toMillis() + "ms, got " + value.toMillis() + "ms");
        }
        return value;
    }

    private boolean bool(String key, boolean fallback) {
        String raw = string(key, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
        if (!raw.equals("true") && !raw.equals("false")) {
            throw invalid(key + " must be true or false, got '" + raw + "'");
        }
        return Boolean.parseBoolean(raw);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private List<ServiceEntry> services() {
        Optional<List<Map>> configured = properties.getProperty("status.services", Argument.listOf(Map.class));
        if (configured.isEmpty()) {
            return ServiceAllowlist.DEFAULTS;
        }
        List<ServiceEntry> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<Map> raw = configured.get();
        for (int i = 0; i < raw.size(); i++) {
            ServiceEntry entry = serviceEntry(i, raw.get(i));
            if (!ids.add(entry.id())) {
                throw invalid("status.services has the id '" + entry.id() + "' twice; ids must be unique");
            }
            entries.add(entry);
        }
        return entries;
    }

    private static ServiceEntry serviceEntry(int index, Map<?, ?> raw) {
        String where = "status.services[" + index + "]";
        String id = text(raw.get("id"));
        String unit = text(raw.get("unit"));
        if (!SERVICE_ID.matcher(id).matches()) {
            throw invalid(where + ".id must be 1-63 lower-case letters, digits, '-' or '_', got '" + id + "'");
        }
        if (!UNIT_NAME.matcher(unit).matches()) {
            throw invalid(where + ".unit must be a systemd unit name such as 'k3s.service', got '" + unit + "'");
        }
        String description = raw.get("description") == null ? unit : text(raw.get("description"));
        return new ServiceEntry(id, unit, description, flag(where + ".masked-ok", raw, "masked-ok"),
                flag(where + ".oneshot", raw, "oneshot"));
    }

    private static boolean flag(String where, Map<?, ?> raw, String key) {
        Object value = raw.containsKey(key) ? raw.get(key) : raw.get(key.replace("-", ""));
        if (value == null) {
            return false;
        }
        String text = text(value).toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw invalid(where + " must be true or false, got '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().trim();
    }

    private String string(String key, String fallback) {
        return properties.getProperty(key, String.class).map(String::trim).orElse(fallback);
    }

    private int integer(String key, int fallback) {
        Optional<String> raw = properties.getProperty(key, String.class).map(String::trim);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw invalid(key + " must be a whole number, got '" + raw.get() + "'");
        }
    }

    private Duration duration(String key, Duration fallback) {
        Optional<String> raw = properties.getProperty(key, String.class);
        if (raw.isEmpty()) {
            return fallback;
        }
        return properties.getProperty(key, Duration.class).orElseThrow(() ->
                invalid(key + " must be a duration such as 500ms, 10s or 1m, got '" + raw.get() + "'"));
    }

    private static Path absolute(String key, String raw) {
        Path path = Path.of(raw);
        if (!path.isAbsolute()) {
            throw invalid(key + " must be an absolute path, got '" + raw + "'");
        }
        return path.normalize();
    }

    private static Path readableFile(String key, String raw) {
        Path path = absolute(key, raw);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw invalid(key + " is not a readable file: " + raw);
        }
        return path;
    }

    private static InvalidConfigurationException invalid(String message) {
        return new InvalidConfigurationException(message);
    }
}
