package amdvfio.sim.ih;

/**
 * What the IH has done, for tests: ring pointers in bytes, the overflow flag, and counters of IVs
 * written, IVs dropped (ring disabled, full without overflow enable, device gone), IVs that
 * overwrote unread entries, MSIs signalled and MSIs dropped (disabled, bus master off, injected loss).
 */
public record IhState(long wptr, long rptr, boolean overflow, long ivsWritten, long ivsDropped, long ivsOverwritten,
                      long msisSignalled, long msisDropped) {
}
