package amdvfio.sim.ih;

import amdvfio.amdgpu.IhRegs;
import amdvfio.amdgpu.Reg;
import amdvfio.sim.gmc.Gmc;
import amdvfio.sim.gmc.GpuFaultException;
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
    private final IhRegs r;
    private final int[] bases;
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

    /**
     * @param r          the OSSSYS version's IH registers (generated headers)
     * @param bases      OSSSYS segment bases
     * @param gmc        the IH's memory path: through MMHUB on Navi, where the IH is an MMHUB client
     * @param busMcSpace MC_SPACE meaning "bus address", or −1 when a bus-addressed ring does not work
     */
    public InterruptHandler(RegisterFile regs, IhRegs r, int[] bases, Gmc gmc, int busMcSpace, Msi msi,
                            java.util.function.BooleanSupplier present) {
        this.regs = regs;
        this.r = r;
        this.bases = bases.clone();
        this.gmc = gmc;
        this.busMcSpace = busMcSpace;
        this.msi = msi;
        this.present = present;
        regs.hook(at(r.rbWptr), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return wptrRegister();
            }

            @Override
            public void written(int value, int old) {
                // the driver resets WPTR to 0 at init (vega10_ih_irq_init)
                wptr = value & r.wptrOffset.mask();
                overflow = false;
            }
        });
        regs.hook(at(r.rbCntl), (value, old) -> {
            if (r.wptrOverflowClear.isSet(value)) {
                overflow = false;
            }
        });
    }

    private int wptrRegister() {
        return (int) (wptr & r.wptrOffset.mask()) | r.wptrRbOverflow.encode(overflow ? 1 : 0);
    }

    /** The ack path: an IH_RB_RPTR register write or a 32-bit write to the IH doorbell. */
    public void doorbellRptr(int value) {
        regs.write(at(r.rbRptr), value);
    }

    /** The BAR2 byte offset of the IH rptr doorbell when enabled, else -1. */
    public long doorbellOffset() {
        int db = regs.read(at(r.doorbellRptr));
        return r.doorbellEnable.isSet(db) ? (long) r.doorbellOffset.get(db) * 4 : -1;
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
            int cntl = regs.read(at(r.rbCntl));
            if (!present.getAsBoolean() || !r.rbEnable.isSet(cntl)) {
                ivsDropped++;
                return;
            }
            long size = 4L << r.rbSize.get(cntl);
            long mask = size - 1;
            long rptr = Integer.toUnsignedLong(regs.read(at(r.rbRptr))) & mask & ~3L;
            long w = wptr & mask;
            long next = (w + IvEntry.BYTES) & mask;
            if (next == rptr) {
                if (!r.wptrOverflowEnable.isSet(cntl)) {
                    ivsDropped++;
                    return;
                }
                if (!r.wptrOverflowClear.isSet(cntl)) {
                    overflow = true;
                }
                ivsOverwritten++;
            }
            long ringBase = ((long) r.rbBaseHiAddr.get(regs.read(at(r.rbBaseHi))) << 40)
                    | (Integer.toUnsignedLong(regs.read(at(r.rbBase))) << 8);
            boolean mcSpace = r.mcSpace.get(cntl) == amdvfio.amdgpu.IhIp.MC_SPACE_MC;
            boolean busSpace = busMcSpace > 0 && r.mcSpace.get(cntl) == busMcSpace;
            try {
                MemorySegment slot = at(ringBase + w, IvEntry.BYTES, mcSpace, busSpace);
                int[] dw = iv.encode();
                for (int i = 0; i < dw.length; i++) {
                    slot.set(ValueLayout.JAVA_INT_UNALIGNED, i * 4L, dw[i]);
                }
                wptr = next;
                if (r.wptrWritebackEnable.isSet(cntl)) {
                    long wbAddr = ((long) r.wptrAddrHiAddr.get(regs.read(at(r.rbWptrAddrHi))) << 32)
                            | (Integer.toUnsignedLong(regs.read(at(r.rbWptrAddrLo))) & ~3L);
                    at(wbAddr, 4, mcSpace, busSpace).set(ValueLayout.JAVA_INT_UNALIGNED, 0, wptrRegister());
                }
                ivsWritten++;
            } catch (GpuFaultException e) {
                ivsDropped++; // recorded as a fault by the GMC; the IH cannot report its own fault
                return;
            }
            raise = r.enableIntr.isSet(cntl);
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
        int cntl = regs.read(at(r.rbCntl));
        long mask = (4L << r.rbSize.get(cntl)) - 1;
        return new IhState(wptr, Integer.toUnsignedLong(regs.read(at(r.rbRptr))) & mask, overflow,
                ivsWritten, ivsDropped, ivsOverwritten, msisSignalled, msisDropped);
    }

    private int at(Reg reg) {
        return reg.address(bases);
    }
}
