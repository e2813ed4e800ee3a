package amdvfio.sim.sdma;

/**
 * A snapshot of one SDMA engine for tests: its pointers (64-bit monotonic bytes), why it stopped
 * if it did, and how many packets it executed.
 */
public record EngineState(int instance, boolean halted, boolean ringEnabled, boolean hung, SdmaError error,
                          long rptr, long wptr, long packets, String errorDetail) {

    public boolean idle() {
        return error == SdmaError.NONE && !hung && rptr == wptr;
    }
}
