package amdvfio.sim.ih;

import amdvfio.sim.gmc.Gmc;
import amdvfio.sim.gmc.GpuFaultException;
import amdvfio.sim.regs.IhRegs;
import amdvfio.sim.regs.RegisterFile;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The IH ring 0 of OSSSYS: engines {@link #post} IVs, which are written at {@code IH_RB_BASE + wptr}
 * (bytes), the wptr written back to {@code IH_RB_WPTR_ADDR} when WPTR_WRITEBACK_ENABLE, then an MSI
 * is raised if ENABLE_INTR (spec §4.2–§4.5, §9.7).
 *
 * <p>Overflow (spec §4.5): when the entry would make wptr reach rptr, the ring is full. With
 * WPTR_OVERFLOW_ENABLE the hardware keeps writing over the oldest unread entries and sets
 * RB_OVERFLOW (bit 0 of IH_RB_WPTR and of the written-back wptr) — which is why amdgpu restarts
 * at {@code wptr + 32}, "the last not overwritten vector". RB_OVERFLOW is cleared by writing
 * IH_RB_CNTL with WPTR_OVERFLOW_CLEAR = 1; while that bit stays 1 no new overflow is flagged.
 * Without WPTR_OVERFLOW_ENABLE the IV is dropped.
 *
 * <p>Addresses: MC_SPACE = 4 is an MC address (through the hub); the profile's bus value
 * (1 Vega10) is an IOVA. Threading: {@link #post} is called by every engine thread and is
 * serialised by this object's monitor; register hooks run under the register file's monitor
 * and only touch volatile fields.
 */
public final class InterruptHandler {

    /** Delivers the MSI (or INTx) for the device; returns false if it was not delivered. */
    public interface Msi {
        boolean raise();
    }

    private final RegisterFile regs;
    private final int base;
    private final Gmc gmc;
    private final int busMcSpace;
    private final Msi msi;
    private final java.util.function.BooleanSupplier present;

    private volatile long wptr;
    private volatile boolean overflow;
    private long ivsWritten;
    private long ivsDropped;
    private long ivsOverwritten;
    private long msisSignalled;
    private long msisDropped;

    public InterruptHandler(RegisterFile regs, int osssysBase, Gmc gmc, int busMcSpace, Msi msi,
                            java.util.function.BooleanSupplier present) {
        this.regs = regs;
        this.base = osssysBase;
        this.gmc = gmc;
        this.busMcSpace = busMcSpace;
        this.msi = msi;
        this.present = present;
        regs.hook(base + IhRegs.RB_WPTR, new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return wptrRegister();
            }

            @Override
            public void written(int value, int old) {
                // the driver resets WPTR to 0 at init (vega10_ih_irq_init)
                wptr = value & IhRegs.WPTR_OFFSET.mask();
                overflow = false;
            }
        });
        regs.hook(base + IhRegs.RB_CNTL, (value, old) -> {
            if (IhRegs.WPTR_OVERFLOW_CLEAR.isSet(value)) {
                overflow = false;
            }
        });
    }

    private int wptrRegister() {
        return (int) (wptr & IhRegs.WPTR_OFFSET.mask()) | (overflow ? 1 : 0);
    }

    /** The ack path: an IH_RB_RPTR register write or a 32-bit write to the IH doorbell. */
    public void doorbellRptr(int value) {
        regs.write(base + IhRegs.RB_RPTR, value);
    }

    /** The BAR2 byte offset of the IH rptr doorbell when enabled, else -1. */
    public long doorbellOffset() {
        int db = regs.read(base + IhRegs.DOORBELL_RPTR);
        return IhRegs.DB_ENABLE.isSet(db) ? (long) IhRegs.DB_OFFSET.get(db) * 4 : -1;
    }

    /**
     * Writes {@code iv} into the ring and raises the interrupt; never throws. The DMA access is
     * taken before this object's monitor (engines post while holding it already).
     */
    public void post(IvEntry iv) {
        gmc.beginAccess();
        try {
            postUnderAccess(iv);
        } finally {
            gmc.endAccess();
        }
    }

    private void postUnderAccess(IvEntry iv) {
        boolean raise;
        synchronized (this) {
            int cntl = regs.read(base + IhRegs.RB_CNTL);
            if (!present.getAsBoolean() || !IhRegs.RB_ENABLE.isSet(cntl)) {
                ivsDropped++;
                return;
            }
            long size = 4L << IhRegs.RB_SIZE.get(cntl);
            long mask = size - 1;
            long rptr = Integer.toUnsignedLong(regs.read(base + IhRegs.RB_RPTR)) & mask & ~3L;
            long w = wptr & mask;
            long next = (w + IvEntry.BYTES) & mask;
            if (next == rptr) {
                if (!IhRegs.WPTR_OVERFLOW_ENABLE.isSet(cntl)) {
                    ivsDropped++;
                    return;
                }
                if (!IhRegs.WPTR_OVERFLOW_CLEAR.isSet(cntl)) {
                    overflow = true;
                }
                ivsOverwritten++;
            }
            long ringBase = ((Integer.toUnsignedLong(regs.read(base + IhRegs.RB_BASE_HI)) & 0xFF) << 40)
                    | (Integer.toUnsignedLong(regs.read(base + IhRegs.RB_BASE)) << 8);
            boolean mcSpace = IhRegs.MC_SPACE.get(cntl) == IhRegs.MC_SPACE_MC;
            boolean busSpace = busMcSpace > 0 && IhRegs.MC_SPACE.get(cntl) == busMcSpace;
            try {
                MemorySegment slot = at(ringBase + w, IvEntry.BYTES, mcSpace, busSpace);
                int[] dw = iv.encode();
                for (int i = 0; i < dw.length; i++) {
                    slot.set(ValueLayout.JAVA_INT_UNALIGNED, i * 4L, dw[i]);
                }
                wptr = next;
                if (IhRegs.WPTR_WRITEBACK_ENABLE.isSet(cntl)) {
                    long wbAddr = ((Integer.toUnsignedLong(regs.read(base + IhRegs.RB_WPTR_ADDR_HI)) & 0xFFFF) << 32)
                            | (Integer.toUnsignedLong(regs.read(base + IhRegs.RB_WPTR_ADDR_LO)) & ~3L);
                    at(wbAddr, 4, mcSpace, busSpace).set(ValueLayout.JAVA_INT_UNALIGNED, 0, wptrRegister());
                }
                ivsWritten++;
            } catch (GpuFaultException e) {
                ivsDropped++; // recorded as a fault by the GMC; the IH cannot report its own fault
                return;
            }
            raise = IhRegs.ENABLE_INTR.isSet(cntl);
        }
        if (raise) {
            boolean delivered = msi.raise();
            synchronized (this) {
                if (delivered) {
                    msisSignalled++;
                } else {
                    msisDropped++;
                }
            }
        }
    }

    private MemorySegment at(long addr, long len, boolean mcSpace, boolean busSpace) throws GpuFaultException {
        if (busSpace) {
            return gmc.resolveBus(addr, len, true, "IH");
        }
        if (!mcSpace) {
            // an MC_SPACE the profile does not accept (e.g. a bus address on Navi without IH_CHICKEN)
            throw gmc.refuse(addr, "IH", true, amdvfio.sim.gmc.GpuFault.Reason.UNMAPPED_ADDRESS);
        }
        MemorySegment s = gmc.resolve(addr, len, true, "IH").segment();
        if (s.byteSize() < len) {
            throw gmc.refuse(addr, "IH", true, amdvfio.sim.gmc.GpuFault.Reason.UNMAPPED_ADDRESS);
        }
        return s;
    }

    /**
     * Back to reset state (registers are cleared by the caller). Not synchronized: it may run
     * under the register lock, which {@link #post} takes after this object's monitor.
     */
    public void reset() {
        wptr = 0;
        overflow = false;
    }

    public synchronized IhState state() {
        int cntl = regs.read(base + IhRegs.RB_CNTL);
        long mask = (4L << IhRegs.RB_SIZE.get(cntl)) - 1;
        return new IhState(wptr, Integer.toUnsignedLong(regs.read(base + IhRegs.RB_RPTR)) & mask, overflow,
                ivsWritten, ivsDropped, ivsOverwritten, msisSignalled, msisDropped);
    }
}
