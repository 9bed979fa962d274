package ai.chutes.status.systemd;

import static ai.chutes.status.settings.TypedProperties.invalid;

import ai.chutes.status.settings.TypedProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the allowlist, {@code status.services}: ids and unit names that can never be read as options. */
public final class ServiceSettings {

    private static final Pattern SERVICE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** A unit name systemd accepts and that can never be read as an option (no leading dash). */
    private static final Pattern UNIT_NAME =
            Pattern.compile("[A-Za-z0-9_][A-Za-z0-9@._:\\\\-]{0,240}\\.(service|socket|target|timer|mount|path|slice|scope)");

    private ServiceSettings() {
    }

    /** The configured entries, in order, or the contract's defaults when the key is not set. */
    public static List<ServiceEntry> read(TypedProperties properties) {
        Optional<List<Map<?, ?>>> configured = properties.maps("status.services");
        if (configured.isEmpty()) {
            return ServiceAllowlist.DEFAULTS;
        }
        List<ServiceEntry> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<Map<?, ?>> raw = configured.get();
        for (int i = 0; i < raw.size(); i++) {
            ServiceEntry entry = entry(i, raw.get(i));
            if (!ids.add(entry.id())) {
                throw invalid("status.services has the id '" + entry.id() + "' twice; ids must be unique");
            }
            entries.add(entry);
        }
        return entries;
    }

    private static ServiceEntry entry(int index, Map<?, ?> raw) {
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
        return value != null && TypedProperties.bool(where, text(value));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().trim();
    }
}
