package ai.chutes.status.architecture.cycle.egg;

import ai.chutes.status.architecture.cycle.hen.Hen;

/** The other half of the deliberate package cycle. */
public final class Egg {

    public Hen hatch() {
        return new Hen();
    }
}
