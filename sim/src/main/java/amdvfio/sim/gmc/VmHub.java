package amdvfio.sim.gmc;

import amdvfio.amdgpu.Pte;
import amdvfio.amdgpu.Reg;
import amdvfio.amdgpu.VmHubRegs;
import amdvfio.sim.fault.StrictViolation;
import amdvfio.sim.regs.RegisterFile;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One VM hub (GFXHUB or MMHUB): its VMID-0 context registers, the frame-buffer location the
 * VBIOS left there (read-only), its TLB and its invalidation engine 17.
 *
 * <p>The TLB: a GART translation, once walked, is kept and served for that page until the driver
 * invalidates VMID 0 through this hub's engine 17 ({@code gmc_v*_flush_gpu_tlb}): a write to
 * INVALIDATE_ENG17_REQ with VMID 0's PER_VMID_INVALIDATE_REQ bit drops the cached translations
 * and sets the same bit in INVALIDATE_ENG17_ACK (a new request clears it first). The
 * INVALIDATE_ENG17_SEM register is the hub's semaphore: a read returns 1 and takes it when free,
 * 0 while it is held; writing 0 releases it ({@code gmc_v10_0_flush_gpu_tlb}: "a read return value
 * of 1 means semaphore acquire"). Only valid PTEs are cached (a stricter model than a TLB of
 * fixed size: a stale entry survives until invalidated, whatever the traffic).
 *
 * <p>Whether the hub translates at all: VMID 0 is refused while the MX L1 TLB or the L2 cache is
 * off, and VRAM is reached directly only inside the system aperture with SYSTEM_ACCESS_MODE 3
 * (both GART and aperture), as {@code *hub_v*_init_system_aperture_regs}, {@code init_tlb_regs}
 * and {@code init_cache_regs} program them. Reset clears these registers (a cold card); a warm
 * card has them as the VBIOS or an earlier driver left them ({@link #asLeftWarm}).
 *
 * <p>Thread-safe: the TLB is a concurrent map; the registers run under the register lock.
 */
public final class VmHub {

    private final VmHubRegs r;
    private final int[] bases;
    private final RegisterFile regs;
    private final boolean strict;
    private final Consumer<StrictViolation> violations;
    private final ConcurrentHashMap<Long, Long> tlb = new ConcurrentHashMap<>();
    private volatile int ack;
    private boolean semaphoreHeld;
    private volatile long invalidations;

    public VmHub(VmHubRegs r, int[] bases, RegisterFile regs, boolean strict, Consumer<StrictViolation> violations) {
        this.r = r;
        this.bases = bases.clone();
        this.regs = regs;
        this.strict = strict;
        this.violations = violations;
    }

    public String name() {
        return r.name;
    }

    /** Installs the FB location (read-only, what the VBIOS programmed) and the invalidation engine. */
    public void install(long fbBase, long fbTop) {
        regs.hook(at(r.fbLocationBase), (RegisterFile.ReadOnly) () -> r.fbLocation.encode((int) (fbBase >>> 24)));
        regs.hook(at(r.fbLocationTop), (RegisterFile.ReadOnly) () -> r.fbLocation.encode((int) (fbTop >>> 24)));
        regs.hook(at(r.fbOffset), (RegisterFile.ReadOnly) () -> 0);
        regs.hook(at(r.invReq), (value, old) -> invalidate(value));
        regs.hook(at(r.invAck), (RegisterFile.ReadOnly) () -> ack);
        regs.hook(at(r.invSem), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                if (semaphoreHeld) {
                    return 0;
                }
                semaphoreHeld = true;
                return r.semaphore.encode(1);
            }

            @Override
            public void written(int value, int old) {
                if (!r.semaphore.isSet(value)) {
                    semaphoreHeld = false;
                }
            }
        });
    }

    /**
     * The hub as amdgpu's gart_enable (or the VBIOS) leaves it on a warm card: system aperture over
     * the FB, L1 TLB on in system access mode 3, L2 cache on. Caller holds regs.
     */
    public void asLeftWarm(long fbBase, long fbTop) {
        regs.setRaw(at(r.apertureLow), (int) (fbBase >>> VmHubRegs.APERTURE_SHIFT));
        regs.setRaw(at(r.apertureHigh), (int) (fbTop >>> VmHubRegs.APERTURE_SHIFT));
        regs.setRaw(at(r.l1TlbCntl), r.enableL1Tlb.encode(1) | r.systemAccessMode.encode(SYSTEM_ACCESS_BOTH)
                | r.advancedDriverModel.encode(1));
        regs.setRaw(at(r.l2Cntl), r.enableL2Cache.encode(1));
    }

    /** MX_L1_TLB_CNTL.SYSTEM_ACCESS_MODE 3, "both GART and system aperture": the only mode modelled. */
    private static final int SYSTEM_ACCESS_BOTH = 3;

    /** Whether VMID 0 translates at all: the MX L1 TLB and the L2 cache are on. */
    boolean enabled() {
        return r.enableL1Tlb.isSet(regs.read(at(r.l1TlbCntl))) && r.enableL2Cache.isSet(regs.read(at(r.l2Cntl)));
    }

    /** Whether {@code mc} goes straight to VRAM: inside the system aperture, in system access mode 3. */
    boolean inSystemAperture(long mc) {
        if (r.systemAccessMode.get(regs.read(at(r.l1TlbCntl))) != SYSTEM_ACCESS_BOTH) {
            return false;
        }
        long low = Integer.toUnsignedLong(regs.read(at(r.apertureLow))) << VmHubRegs.APERTURE_SHIFT;
        long high = (Integer.toUnsignedLong(regs.read(at(r.apertureHigh))) << VmHubRegs.APERTURE_SHIFT)
                | ((1L << VmHubRegs.APERTURE_SHIFT) - 1);
        return mc >= low && mc <= high;
    }

    /** Back to reset: empty TLB, no acknowledgement, semaphore free. Caller holds regs. */
    public void reset() {
        tlb.clear();
        ack = 0;
        semaphoreHeld = false;
    }

    private void invalidate(int req) {
        int vmids = r.perVmidInvalidateReq.get(req);
        ack = 0;
        if ((vmids & 1) != 0) {
            tlb.clear();
            invalidations++;
        }
        ack = r.perVmidInvalidateAck.encode(vmids);
    }

    /** VMID-0 invalidations seen so far (tests). */
    public long invalidations() {
        return invalidations;
    }

    int context0Cntl() {
        return regs.read(at(r.context0Cntl));
    }

    boolean contextEnabled(int cntl) {
        return r.enableContext.isSet(cntl);
    }

    int pageTableDepth(int cntl) {
        return r.pageTableDepth.get(cntl);
    }

    long startPage() {
        return u64(r.ptStartLo, r.ptStartHi);
    }

    long endPage() {
        return u64(r.ptEndLo, r.ptEndHi);
    }

    long tableBase() {
        return u64(r.ptBaseLo, r.ptBaseHi);
    }

    /** The cached PTE of GART page {@code index}, or null when the TLB has none. */
    Long cached(long index) {
        return tlb.get(index);
    }

    /** Caches a walked, valid PTE. */
    void fill(long index, long pte) {
        if ((pte & Pte.VALID) != 0) {
            tlb.put(index, pte);
        }
    }

    /** Strict mode: a translation served from the TLB that the table no longer holds. */
    void staleUse(long mc, long cachedPte, long tablePte, String client) {
        if (strict) {
            violations.accept(new StrictViolation(client, "stale TLB", String.format(
                    "%s served MC 0x%x from a translation the page table no longer holds (cached PTE 0x%x, table 0x%x): "
                            + "the GART was changed without an invalidation through VM_INVALIDATE_ENG17",
                    r.name, mc, cachedPte, tablePte)));
        }
    }

    private long u64(Reg lo, Reg hi) {
        return ((long) regs.read(at(hi)) << 32) | Integer.toUnsignedLong(regs.read(at(lo)));
    }

    private int at(Reg reg) {
        return reg.address(bases);
    }
}
