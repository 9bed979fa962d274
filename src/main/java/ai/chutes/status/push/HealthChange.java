package ai.chutes.status.push;

import ai.chutes.status.overview.Overview;
import ai.chutes.status.systemd.ServiceCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * The lifecycle state an overview implies, with a message naming what is wrong ({@code k3s:
 * failed/failed}). Two overviews with the same state and message are the same as far as the host's
 * alerting goes; any difference is a change that is pushed at once.
 */
record HealthChange(LifecycleState state, String message) {

    static HealthChange of(Overview overview) {
        if (overview.ok()) {
            return new HealthChange(LifecycleState.HEALTHY, "all checks pass");
        }
        List<String> problems = new ArrayList<>();
        for (ServiceCheck check : overview.services()) {
            if (!check.healthy()) {
                problems.add(check.service().id() + ": " + describe(check));
            }
        }
        if (!overview.gpu().ok()) {
            problems.add("nvidia-smi: " + (overview.gpu().error() != null ? overview.gpu().error().error() : "error"));
        }
        return new HealthChange(LifecycleState.DEGRADED, String.join(", ", problems));
    }

    private static String describe(ServiceCheck check) {
        if (check.error() != null) {
            return check.error().error();
        }
        return check.status().activeState() + "/" + check.status().subState();
    }
}
