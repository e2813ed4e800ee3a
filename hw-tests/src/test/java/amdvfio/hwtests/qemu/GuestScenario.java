package amdvfio.hwtests.qemu;

/**
 * One scenario run inside the guest by {@link GuestScenarioRunner}, so that several scenarios can
 * share one guest boot. Implementations need a public no-argument constructor. A scenario fails
 * by throwing; it must not call System.exit.
 */
public interface GuestScenario {

    void run() throws Throwable;

    /** The name used in the AMDVFIO-SCENARIO markers (no spaces). */
    default String name() {
        return getClass().getSimpleName();
    }
}
