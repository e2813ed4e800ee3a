package amdvfio.sim.sdma;

import amdvfio.sim.gmc.GpuFaultException;

/**
 * The NOP packets at the fetch position, taken as one run: a NOP changes nothing but the rptr
 * (amdgpu pads every submission with them, {@code sdma_v5_0_ring_insert_nop}), so the engine
 * retires a whole run with one fetch and one rptr update instead of framing each packet. A run
 * is the complete NOPs whose headers are in one fetch; anything else, and a NOP that ends past
 * the wptr, is left to the packet-by-packet path (which waits for the rest of the latter).
 * Engine-thread confined; allocates nothing after construction.
 */
final class NopRun {

    /**
     * Dwords fetched per run: the engine checks for a halt, an F32 reset and a waiting unmap
     * between runs, so this bounds how long those wait (256 dwords: well under a microsecond).
     */
    static final int FETCH_DWORDS = 256;

    private final PacketDecoder decoder;
    private final int[] fetched = new int[FETCH_DWORDS];
    private int dwords;
    private int packets;

    NopRun(PacketDecoder decoder) {
        this.decoder = decoder;
    }

    /**
     * Scans the packets at {@code reader}'s position, of which {@code avail} dwords are there
     * (negative when the driver wrote an RB_RPTR beyond the wptr);
     * true when at least one complete NOP starts the run. Reads the ring only when the first
     * dword is a NOP header, so other packets pay one cached dword read.
     */
    boolean scan(RingReader reader, long avail) throws GpuFaultException {
        dwords = 0;
        packets = 0;
        if (avail < 1 || decoder.nopLength(reader.dword(0)) == 0) {
            return false; // not a NOP, or an rptr the driver moved past the wptr: the packet path stalls
        }
        int n = reader.fetch(fetched, (int) Math.min(avail, FETCH_DWORDS));
        long at = 0;
        while (at < n) {
            int len = decoder.nopLength(fetched[(int) at]);
            if (len == 0 || len > avail - at) {
                break; // another packet, or a NOP whose payload the driver has not written yet
            }
            at += len; // the payload is never read: it may run past this fetch
            packets++;
        }
        dwords = (int) at;
        return packets > 0;
    }

    /** Dwords the last run takes. */
    int dwords() {
        return dwords;
    }

    /** NOP packets in the last run. */
    int packets() {
        return packets;
    }
}
