package ai.chutes.status.architecture.cycle.hen;

import ai.chutes.status.architecture.cycle.egg.Egg;

/** Half of a deliberate package cycle: the architecture tests must catch it. */
public final class Hen {

    public Egg lay() {
        return new Egg();
    }
}
