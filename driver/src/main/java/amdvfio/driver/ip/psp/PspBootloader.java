package amdvfio.driver.ip.psp;

import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.bindings.amdgpu.amdgpu_psp_h;
import amdvfio.driver.firmware.PspComponent;
import amdvfio.driver.firmware.PspComponentKind;
import amdvfio.driver.firmware.SosFirmware;
import java.util.Optional;

/**
 * psp_v13_0's bootloader path (psp_hw_start, spec §2.3): each component present in the sOS file
 * goes through the 1 MiB buffer with its C2PMSG_35 command, in amdgpu's order KDB → SPL → SYS_DRV
 * → SOC/INTF/DBG/RAS/IPKEYMGR drivers → SOS; then the sOS's sign of life (C2PMSG_81 changes)
 * and its version (C2PMSG_58). The SPL step sends the <b>KDB</b> bytes, as
 * psp_v13_0_bootloader_load_spl does (conflict C1: we follow amdgpu; TG agrees).
 */
final class PspBootloader {

    /** psp_v13_0_wait_for_bootloader: 10 × usec_timeout (100 ms) per step. */
    private static final long STEP_TIMEOUT_NANOS = 1_000_000_000L;
    private static final int READY = PspMailboxRegs.RESPONSE_READY;
    /** MP0 13.0.6+ report the bootloader's error in C2PMSG_35 [7:0] (psp_v13_0.c); 0 elsewhere. */
    private static final int ERROR_BITS = 0xFF;

    private final PspMailbox mb;
    private final PspMemory mem;
    private final java.util.function.ObjLongConsumer<String> stepDone;

    PspBootloader(PspMailbox mb, PspMemory mem) {
        this(mb, mem, (step, nanos) -> { });
    }

    /** @param stepDone told each component's name and how long its load took (the sOS's includes its sign of life) */
    PspBootloader(PspMailbox mb, PspMemory mem, java.util.function.ObjLongConsumer<String> stepDone) {
        this.mb = mb;
        this.mem = mem;
        this.stepDone = stepDone;
    }

    /** Loads every component and waits for the sOS; returns its version. */
    long boot(SosFirmware sos) {
        Optional<PspComponent> kdb = sos.component(PspComponentKind.KDB);
        if (kdb.isPresent()) {
            load("KDB", amdgpu_psp_h.PSP_BL__LOAD_KEY_DATABASE(), kdb.get());
            if (sos.component(PspComponentKind.SPL).isPresent()) {
                load("SPL", amdgpu_psp_h.PSP_BL__LOAD_TOS_SPL_TABLE(), kdb.get());
            }
        }
        load("SYS_DRV", amdgpu_psp_h.PSP_BL__LOAD_SYSDRV(), sos.component(PspComponentKind.SYS_DRV).orElseThrow());
        optional(sos, PspComponentKind.SOC_DRV, amdgpu_psp_h.PSP_BL__LOAD_SOCDRV());
        optional(sos, PspComponentKind.INTF_DRV, amdgpu_psp_h.PSP_BL__LOAD_INTFDRV());
        optional(sos, PspComponentKind.DBG_DRV, amdgpu_psp_h.PSP_BL__LOAD_DBGDRV());
        optional(sos, PspComponentKind.RAS_DRV, amdgpu_psp_h.PSP_BL__LOAD_RASDRV());
        optional(sos, PspComponentKind.IPKEYMGR_DRV, amdgpu_psp_h.PSP_BL__LOAD_IPKEYMGRDRV());
        int before = mb.read(mb.regs.c2pmsg81);
        long t0 = System.nanoTime();
        send("SOS", amdgpu_psp_h.PSP_BL__LOAD_SOSDRV(), sos.component(PspComponentKind.SOS).orElseThrow());
        waitForSos(before);
        stepDone.accept("SOS", System.nanoTime() - t0);
        return Integer.toUnsignedLong(mb.read(mb.regs.c2pmsg58));
    }

    private void optional(SosFirmware sos, PspComponentKind kind, int command) {
        sos.component(kind).ifPresent(c -> load(kind.name(), command, c));
    }

    private void load(String step, int command, PspComponent component) {
        long t0 = System.nanoTime();
        send(step, command, component);
        stepDone.accept(step, System.nanoTime() - t0);
    }

    /** psp_v13_0_bootloader_load_component. */
    private void send(String step, int command, PspComponent component) {
        mb.waitFor(mb.regs.c2pmsg35, READY, READY, STEP_TIMEOUT_NANOS, step + ": bootloader ready");
        mem.zero(mem.fwBuf, PspMemory.PSP_1_MEG);
        mem.put(mem.fwBuf, component.bytes());
        mb.write(mb.regs.c2pmsg36, (int) (mem.mc(mem.fwBuf) >>> 20));
        mb.write(mb.regs.c2pmsg35, command);
        int v = mb.waitFor(mb.regs.c2pmsg35, READY, READY, STEP_TIMEOUT_NANOS, step);
        if ((v & ERROR_BITS) != 0) {
            throw new PspException(step, v & ERROR_BITS, String.format("PSP bootloader refused %s (%d bytes): C2PMSG_35 = 0x%08x",
                    step, component.size(), v));
        }
    }

    /** psp_v13_0_bootloader_load_sos: wait for C2PMSG_81 to change (check_changed). */
    private void waitForSos(int before) {
        long deadline = System.nanoTime() + STEP_TIMEOUT_NANOS;
        while (mb.read(mb.regs.c2pmsg81) == before) {
            mb.checkPresent("SOS");
            if (System.nanoTime() - deadline > 0) {
                throw new PspException("SOS", -1, "PSP: the sOS gave no sign of life (C2PMSG_81 stayed 0x"
                        + Integer.toHexString(before) + ")");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000);
        }
    }
}
