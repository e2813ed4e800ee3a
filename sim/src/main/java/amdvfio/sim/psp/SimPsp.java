package amdvfio.sim.psp;

import static amdvfio.bindings.amdgpu.psp_gfx_if_h.GFX_CTRL_CMD_ID_DESTROY_RINGS;
import static amdvfio.bindings.amdgpu.psp_gfx_if_h.GFX_CTRL_CMD_ID_INIT_GPCOM_RING;

import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.amdgpu.Reg;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_resp;
import amdvfio.bindings.amdgpu.psp_gfx_rb_frame;
import amdvfio.bindings.amdgpu.psp_gfx_resp;
import amdvfio.sim.gmc.Gmc;
import amdvfio.sim.gmc.GpuFaultException;
import amdvfio.sim.regs.RegisterFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The card's PSP (MP0) as a cold boot meets it (spec amd-cold-boot.md §2, §9.1–§9.5): IFWI
 * readiness in C2PMSG_33, the bootloader mailbox (C2PMSG_35/36) that takes the sOS file's
 * components in order and checks each against the real file, the sign of life (81) and version
 * (58), the KM ring (64/67/69/70/71) whose frames carry command buffers, answered with a status,
 * response fields and a fence, and the firmware-running gate the SDMA engines consult.
 *
 * <p>A warm card ({@link #warm()}) is one whose firmware some earlier boot already loaded: IFWI is
 * ready, SDMA firmware runs, and the mailbox is plain storage, as before this model existed.
 *
 * <p>Threading: the hooks run under the register file's monitor; the gate is a volatile read.
 */
public final class SimPsp {

    private static final int READY = PspMailboxRegs.RESPONSE_READY;
    private static final int FRAME_DWORDS = (int) (psp_gfx_rb_frame.sizeof() / 4);
    /** The largest ring accepted: TG's 64 KiB (amdgpu uses 4 KiB, conflict C5). */
    private static final long MAX_RING_BYTES = 0x10000;

    private final RegisterFile regs;
    private final PspExpectations expect;
    private final PspMemory memory;
    private final long ifwiDelayNanos;
    private final long pspDelayNanos;
    private final int mp0;
    private final int bootloadStatus;
    private final PspMailboxRegs mb = PspMailboxRegs.MP_13_0_0;
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    private long poweredAt = System.nanoTime();
    /** Until when the bootloader (C2PMSG_35) and the ring control (C2PMSG_64) are busy with the last command. */
    private long bootloaderBusyUntil;
    private long ringControlBusyUntil;
    private int bootStep;
    private boolean sosAlive;
    private long ringMc = -1;
    private int ringDwords;
    private int rptr;
    private long frames;
    private GpcomCommands gpcom;
    private volatile boolean sdmaRunning;
    /** The RLC works through its autoload until then (CP busy, BOOTLOAD_COMPLETE clear, SDMA not started). */
    private volatile long autoloadDoneAt;
    private Runnable pmfwLoaded = () -> { };
    private boolean pmfwSignalled;

    private SimPsp(RegisterFile regs, PspExpectations expect, Gmc gmc, long ifwiDelayNanos, long pspDelayNanos, int mp0Base,
                   int gcSeg1Base) {
        this.regs = regs;
        this.expect = expect;
        this.memory = gmc == null ? null : new PspMemory(gmc);
        this.ifwiDelayNanos = ifwiDelayNanos;
        this.pspDelayNanos = pspDelayNanos;
        this.mp0 = mp0Base;
        this.bootloadStatus = gcSeg1Base + PspMailboxRegs.GC11_RLC_BOOTLOAD_STATUS.offset();
        this.sdmaRunning = expect == null;
        this.bootloaderBusyUntil = poweredAt;
        this.ringControlBusyUntil = poweredAt;
        if (expect != null) {
            newGpcom();
        }
    }

    /** A card whose firmware is already running. */
    public static SimPsp warm() {
        return new SimPsp(null, null, null, 0, 0, 0, 0);
    }

    /**
     * A Navi31 card that starts cold and must be booted through this PSP.
     *
     * @param mp0Base    MP0 segment 0 (dwords)
     * @param gcSeg1Base GC segment 1, where RLC_RLCS_BOOTLOAD_STATUS lives
     */
    public static SimPsp coldNavi31(RegisterFile regs, Gmc gmc, SimColdBoot cfg, int mp0Base, int gcSeg1Base) {
        if (PspMailboxRegs.GC11_RLC_BOOTLOAD_STATUS.segment() != 1) {
            throw new IllegalStateException("RLC_RLCS_BOOTLOAD_STATUS moved out of GC segment 1");
        }
        SimPsp p = new SimPsp(regs, PspExpectations.navi31(cfg.firmwareDir()), gmc, cfg.ifwiDelay().toNanos(),
                cfg.pspDelay().toNanos(), mp0Base, gcSeg1Base);
        p.install();
        return p;
    }

    public boolean cold() {
        return expect != null;
    }

    /** C2PMSG_33 bit 31: IFWI is done some delay after power-up or reset. */
    public boolean ifwiReady() {
        return expect == null || System.nanoTime() - poweredAt >= ifwiDelayNanos;
    }

    /** The gate each SDMA engine consults: does its firmware run? */
    public boolean sdmaFirmwareRunning() {
        return sdmaRunning && !rlcBusy();
    }

    /** Called (under the register lock) when the PSP accepts the SMU image: the PMFW starts. */
    public void onPmfwLoaded(Runnable r) {
        pmfwLoaded = r;
    }

    /** CP_STAT != 0: the RLC is still autoloading (amdgpu waits for CP_STAT == 0, gfx_v11_0_wait_for_rlc_autoload_complete). */
    public boolean rlcBusy() {
        long until = autoloadDoneAt;
        return until != 0 && busy(until);
    }

    /** Power-up or a reset that loses the PSP's state: back to cold (a warm card stays warm). Caller holds regs. */
    public void reset() {
        if (expect == null) {
            return;
        }
        poweredAt = System.nanoTime();
        bootloaderBusyUntil = poweredAt;
        ringControlBusyUntil = poweredAt;
        bootStep = 0;
        sosAlive = false;
        ringMc = -1;
        rptr = 0;
        frames = 0;
        sdmaRunning = false;
        autoloadDoneAt = 0;
        pmfwSignalled = false;
        newGpcom();
        regs.setRaw(at(mb.c2pmsg35), READY);
    }

    private void newGpcom() {
        gpcom = new GpcomCommands(expect, memory, refusals::add, this::autoloaded, this::tmrDestroyed);
    }

    private void install() {
        regs.hook(at(mb.c2pmsg33), (RegisterFile.ReadOnly) () -> ifwiReady() ? READY : 0);
        regs.hook(at(mb.c2pmsg35), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return ifwiReady() && !busy(bootloaderBusyUntil) ? stored : 0;
            }

            @Override
            public void written(int value, int old) {
                bootloaderCommand(value);
            }
        });
        regs.hook(at(mb.c2pmsg64), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return busy(ringControlBusyUntil) ? stored & ~READY : stored;
            }

            @Override
            public void written(int value, int old) {
                ringControl(value);
            }
        });
        regs.hook(at(mb.c2pmsg81), new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return busy(bootloaderBusyUntil) ? 0 : stored; // the sOS answers once it has started
            }

            @Override
            public void written(int value, int old) {
            }
        });
        regs.hook(at(mb.c2pmsg67), (value, old) -> wptrWritten(value));
        regs.hook(bootloadStatus, new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return rlcBusy() ? PspMailboxRegs.GC11_BOOTLOAD_COMPLETE.set(stored, 0) : stored;
            }

            @Override
            public void written(int value, int old) {
            }
        });
        regs.setRaw(at(mb.c2pmsg35), READY);
    }

    private boolean busy(long until) {
        return System.nanoTime() - until < 0;
    }

    private int at(Reg r) {
        return mp0 + r.offset();
    }

    // ------------------------------------------------------------------ bootloader (spec §2.3)

    private void bootloaderCommand(int cmd) {
        if (!ifwiReady()) {
            return; // the bootloader is not listening yet: the command is lost, bit 31 stays clear
        }
        int status = bootStatus(cmd);
        regs.setRaw(at(mb.c2pmsg35), READY | status);
        bootloaderBusyUntil = System.nanoTime() + pspDelayNanos;
    }

    private int bootStatus(int cmd) {
        if (sosAlive) {
            refusals.add(String.format("bootloader command 0x%x after the sOS is up", cmd));
            return PspStatus.BAD_ORDER;
        }
        PspExpectations.BootStep want = expect.bootSequence.get(bootStep);
        if (cmd != want.command()) {
            refusals.add(String.format("bootloader command 0x%x where %s (0x%x) comes next", cmd, want.name(), want.command()));
            return PspStatus.BAD_ORDER;
        }
        long mc = Integer.toUnsignedLong(regs.raw(at(mb.c2pmsg36))) << 20;
        try {
            if (!memory.matches(mc, want.payload())) {
                refusals.add(want.name() + ": the buffer at MC 0x" + Long.toHexString(mc) + " is not the sOS file's " + want.name());
                return PspStatus.BAD_PAYLOAD;
            }
        } catch (GpuFaultException e) {
            refusals.add(want.name() + ": payload unreachable: " + e.getMessage());
            return PspStatus.BAD_PARAMETER;
        }
        if (++bootStep == expect.bootSequence.size()) {
            sosAlive = true;
            regs.setRaw(at(mb.c2pmsg81), (int) expect.sosVersion); // any non-zero value is the sign of life
            regs.setRaw(at(mb.c2pmsg58), (int) expect.sosVersion);
            regs.setRaw(at(mb.c2pmsg64), READY);
        }
        return PspStatus.OK;
    }

    // ------------------------------------------------------------------ KM ring (spec §2.4)

    private void ringControl(int value) {
        if (!sosAlive) {
            return; // no sOS, nobody answers: bit 31 stays as written (clear)
        }
        int status;
        if (value == GFX_CTRL_CMD_ID_INIT_GPCOM_RING()) {
            status = createRing();
        } else if (value == GFX_CTRL_CMD_ID_DESTROY_RINGS()) {
            ringMc = -1;
            status = PspStatus.OK;
        } else {
            refusals.add(String.format("ring control 0x%x is not modelled", value));
            status = PspStatus.UNKNOWN_COMMAND;
        }
        regs.setRaw(at(mb.c2pmsg64), READY | status);
        ringControlBusyUntil = System.nanoTime() + pspDelayNanos;
    }

    private int createRing() {
        if (ringMc >= 0) {
            refusals.add("KM ring created twice without DESTROY_RINGS");
            return PspStatus.BAD_ORDER;
        }
        long mc = Integer.toUnsignedLong(regs.raw(at(mb.c2pmsg69))) | (long) regs.raw(at(mb.c2pmsg70)) << 32;
        long size = Integer.toUnsignedLong(regs.raw(at(mb.c2pmsg71)));
        if (size == 0 || size % psp_gfx_rb_frame.sizeof() != 0 || size > MAX_RING_BYTES || mc % 0x1000 != 0) {
            refusals.add(String.format("KM ring at MC 0x%x of %d bytes: needs 4 KiB alignment and whole 64-byte frames", mc, size));
            return PspStatus.BAD_PARAMETER;
        }
        ringMc = mc;
        ringDwords = (int) (size / 4);
        rptr = 0;
        return PspStatus.OK;
    }

    private void wptrWritten(int wptr) {
        if (ringMc < 0) {
            return;
        }
        if (wptr < 0 || wptr >= ringDwords || wptr % FRAME_DWORDS != 0) {
            refusals.add("KM ring wptr " + wptr + " is not a frame boundary inside the ring; nothing executed");
            return;
        }
        while (rptr != wptr) {
            frame(ringMc + 4L * rptr);
            rptr = (rptr + FRAME_DWORDS) % ringDwords;
        }
    }

    private void frame(long frameMc) {
        try {
            MemorySegment f = memory.copy(frameMc, psp_gfx_rb_frame.sizeof());
            long cmdMc = addr(psp_gfx_rb_frame.cmd_buf_addr_lo(f), psp_gfx_rb_frame.cmd_buf_addr_hi(f));
            MemorySegment cmd = memory.copy(cmdMc, psp_gfx_cmd_resp.sizeof());
            GpcomCommands.Result r = gpcom.execute(cmd);
            if (!pmfwSignalled && gpcom.loaded().contains(amdvfio.bindings.amdgpu.psp_gfx_if_h.GFX_FW_TYPE_SMU())) {
                pmfwSignalled = true;
                pmfwLoaded.run();
            }
            respond(cmdMc, r);
            memory.writeInt(addr(psp_gfx_rb_frame.fence_addr_lo(f), psp_gfx_rb_frame.fence_addr_hi(f)),
                    psp_gfx_rb_frame.fence_value(f));
            frames++;
        } catch (GpuFaultException e) {
            refusals.add("KM ring frame at MC 0x" + Long.toHexString(frameMc) + " unreachable: " + e.getMessage());
        }
    }

    /** Writes psp_gfx_resp (status, fw_addr, tmr_size) at +864 of the command buffer. */
    private void respond(long cmdMc, GpcomCommands.Result r) throws GpuFaultException {
        MemorySegment resp = Arena.ofAuto().allocate(psp_gfx_resp.layout());
        psp_gfx_resp.status(resp, r.status());
        psp_gfx_resp.fw_addr_lo(resp, (int) r.fwAddr());
        psp_gfx_resp.fw_addr_hi(resp, (int) (r.fwAddr() >>> 32));
        psp_gfx_resp.tmr_size(resp, (int) r.tmrSize());
        memory.write(cmdMc + psp_gfx_cmd_resp.resp$offset(), resp);
    }

    private static long addr(int lo, int hi) {
        return Integer.toUnsignedLong(lo) | (long) hi << 32;
    }

    // ------------------------------------------------------------------ effects on the rest of the card

    /** AUTOLOAD_RLC: the RLC reports its bootload done (CP_STAT stays 0, idle) and starts the SDMA threads it loaded. */
    private void autoloaded() {
        regs.setRaw(bootloadStatus, PspMailboxRegs.GC11_BOOTLOAD_COMPLETE.set(regs.raw(bootloadStatus), 1));
        autoloadDoneAt = System.nanoTime() + pspDelayNanos; // the RLC boots the GC firmware meanwhile
        sdmaRunning = gpcom.sdmaFirmwareRunning();
        regs.notifyAll();
    }

    /** DESTROY_TMR: every image in the TMR is gone, the SDMA firmware with it (amdgpu unbind, spec §2.7). */
    private void tmrDestroyed() {
        regs.setRaw(bootloadStatus, PspMailboxRegs.GC11_BOOTLOAD_COMPLETE.set(regs.raw(bootloadStatus), 0));
        sdmaRunning = false;
    }

    /** A snapshot for tests. */
    public PspState state() {
        synchronized (regs == null ? this : regs) {
            if (expect == null) {
                return new PspState(false, true, List.of(), true, false, 0, false, false, java.util.Set.of(), false, true, List.of());
            }
            List<String> steps = new ArrayList<>();
            for (int i = 0; i < bootStep; i++) {
                steps.add(expect.bootSequence.get(i).name());
            }
            return new PspState(true, ifwiReady(), steps, sosAlive, ringMc >= 0, frames, gpcom.tocLoaded(), gpcom.tmrSetUp(),
                    gpcom.loaded(), gpcom.autoloadDone(), sdmaRunning, List.copyOf(refusals));
        }
    }
}
