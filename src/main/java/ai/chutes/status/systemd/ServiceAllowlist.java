package ai.chutes.status.systemd;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The fixed set of units the agent reports on, in configuration order. Requests can only look up. */
public final class ServiceAllowlist {

    /** The contract's default allowlist, used when {@code status.services} is not configured. */
    public static final List<ServiceEntry> DEFAULTS = List.of(
            new ServiceEntry("admission-controller", "admission-controller.service", "Admission controller", false, false),
            new ServiceEntry("system-manager", "system-manager.service", "System manager", false, false),
            new ServiceEntry("attestation-service", "attestation-service.service", "TDX/nvtrust attestation service", false, false),
            new ServiceEntry("k3s", "k3s.service", "Lightweight Kubernetes server", false, false),
            new ServiceEntry("nvidia-persistenced", "nvidia-persistenced.service", "NVIDIA persistence daemon", false, false),
            new ServiceEntry("nvidia-fabricmanager", "nvidia-fabricmanager.service", "NVIDIA fabric manager", true, false),
            new ServiceEntry("infiniband-config", "infiniband-config.service", "InfiniBand configuration", false, true));

    private final Map<String, ServiceEntry> byId = new LinkedHashMap<>();

    /** Entries must already be validated (unique ids, safe unit names). */
    public ServiceAllowlist(List<ServiceEntry> entries) {
        entries.forEach(entry -> byId.put(entry.id(), entry));
    }

    public Optional<ServiceEntry> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<ServiceEntry> entries() {
        return byId.values();
    }
}
