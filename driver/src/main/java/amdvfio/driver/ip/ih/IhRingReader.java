package amdvfio.driver.ip.ih;

import amdvfio.amdgpu.IvLayout;
import amdvfio.bindings.amdgpu.ih_ids_h;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Drains the IH ring the way {@code amdgpu_ih_process} does: read the wptr (writeback first,
 * the register only if the writeback shows an overflow), dispatch up to 31 vectors of 32 bytes,
 * write the byte rptr back, and go round again while the wptr moved.
 *
 * <p>Overflow (spec §4.5, {@code vega10_ih_get_wptr}): when IH_RB_WPTR.RB_OVERFLOW is set the
 * oldest vectors were overwritten, so parsing restarts at the oldest one not overwritten,
 * {@code (wptr + 32) & mask}, and WPTR_OVERFLOW_CLEAR is pulsed so a new overflow can be seen.
 *
 * <p>Threading: one thread (the interrupt thread) calls {@link #process}.
 */
public final class IhRingReader {

    private static final int CLIENT_ID_MAX = ih_ids_h.SOC15_IH_CLIENTID_MAX();

    /** The registers the reader needs; the IH block implements them on the real device. */
    public interface Registers {
        /** IH_RB_WPTR as a raw value: RB_OVERFLOW [0], OFFSET [17:2] (bytes). */
        int readWptr();

        /** Acknowledge: the rptr (bytes), by doorbell or IH_RB_RPTR. */
        void writeRptr(int rptrBytes);

        /** IH_RB_CNTL.WPTR_OVERFLOW_CLEAR = 1 then 0. */
        void clearOverflow();
    }

    public static final int IV_BYTES = IvLayout.BYTES;
    private static final int MAX_PER_PASS = 32; // AMDGPU_IH_MAX_NUM_IVS; amdgpu's --count stops at 31
    private static final ValueLayout.OfInt DW = ValueLayout.JAVA_INT;

    private final MemorySegment ring;
    private final MemorySegment wptrWriteback;
    private final int mask;
    private final Registers regs;
    private final IvHandler handler;
    private int rptr;
    private long overflows;

    /**
     * @param ring          the ring, a power of two bytes
     * @param wptrWriteback 4 bytes the hardware writes IH_RB_WPTR to
     */
    public IhRingReader(MemorySegment ring, MemorySegment wptrWriteback, Registers regs, IvHandler handler) {
        if (Long.bitCount(ring.byteSize()) != 1 || ring.byteSize() < IV_BYTES) {
            throw new IllegalArgumentException("IH ring size must be a power of two: " + ring.byteSize());
        }
        this.ring = ring;
        this.wptrWriteback = wptrWriteback;
        this.mask = (int) ring.byteSize() - 1;
        this.regs = regs;
        this.handler = handler;
    }

    /** Processes every pending vector; returns how many were dispatched. */
    public int process() {
        int dispatched = 0;
        int wptr = wptr();
        while (rptr != wptr) {
            VarHandle.acquireFence(); // amdgpu: rmb() between reading the wptr and the entries
            int count = MAX_PER_PASS;
            while (rptr != wptr && --count > 0) {
                dispatch(rptr);
                rptr = (rptr + IV_BYTES) & mask;
                dispatched++;
            }
            regs.writeRptr(rptr);
            wptr = wptr();
        }
        return dispatched;
    }

    /** Byte offset of the next vector to read. */
    public int rptr() {
        return rptr;
    }

    /** Overflows seen so far. */
    public long overflows() {
        return overflows;
    }

    private int wptr() {
        int wptr = wptrWriteback.get(DW, 0);
        if ((wptr & 1) == 0) {
            return wptr & mask & ~3;
        }
        wptr = regs.readWptr();
        if ((wptr & 1) == 0) {
            return wptr & mask & ~3;
        }
        wptr &= ~1;
        overflows++;
        System.getLogger("amdvfio.driver.ih").log(System.Logger.Level.WARNING,
                String.format("IH ring buffer overflow (0x%08X, 0x%08X, 0x%08X)", wptr, rptr, (wptr + IV_BYTES) & mask));
        rptr = (wptr + IV_BYTES) & mask;
        regs.clearOverflow();
        return wptr & mask & ~3;
    }

    private void dispatch(int at) {
        int dw0 = ring.get(DW, at);
        int client = IvLayout.CLIENT_ID.get(dw0);
        if (client >= CLIENT_ID_MAX) { // amdgpu skips these
            return;
        }
        handler.handle(client, IvLayout.SOURCE_ID.get(dw0), IvLayout.RING_ID.get(dw0),
                ring.get(DW, at + IvLayout.SRC_DATA_DWORD * 4L));
    }
}
