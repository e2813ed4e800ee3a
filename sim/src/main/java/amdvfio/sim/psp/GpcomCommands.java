package amdvfio.sim.psp;

import static amdvfio.bindings.amdgpu.psp_gfx_if_h.*;

import amdvfio.bindings.amdgpu.psp_gfx_cmd_load_ip_fw;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_load_toc;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_resp;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_setup_tmr;
import amdvfio.bindings.amdgpu.psp_gfx_commands;
import amdvfio.sim.gmc.GpuFaultException;
import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The sOS side of the KM ring's commands (spec amd-cold-boot.md §2.5, §2.7, §7, §9.4), with the
 * rules amdgpu's order implies: LOAD_TOC answers the TMR size (a PSP without a TOC, Vega10's, does
 * not take it); SETUP_TMR needs the TOC where there is one, a 1 MiB aligned buffer at least the
 * TMR size and, where {@code pmfw_centralized_cstate_management} (Navi), the SMU image first ("TMR
 * setup should be performed after PMFW loaded", psp_hw_start); LOAD_IP_FW needs the TMR (except
 * that centralized SMU image), a type this PSP takes and, for the images the model checks, the
 * exact bytes; AUTOLOAD_RLC needs what the generation's RLC autoload starts from, and is not taken
 * without autoload (Vega10); DESTROY_TMR drops everything loaded. Runs under the register file's
 * monitor (from the wptr hook).
 */
final class GpcomCommands {

    /** Result of one command: the status and the response fields the PSP fills. */
    record Result(int status, long fwAddr, long tmrSize) {
        static Result ok() {
            return new Result(PspStatus.OK, 0, 0);
        }

        static Result fail(int status) {
            return new Result(status, 0, 0);
        }
    }

    private static final long TMR_ALIGNMENT = amdvfio.bindings.amdgpu.amdgpu_psp_h.PSP_TMR_ALIGNMENT();
    private static final long PAGE = 0x1000;
    /** psp_gfx_cmd_setup_tmr.bitfield.virt_phy_addr: bit 1 of tmr_flags (after sriov_enabled:1); jextract cannot export bitfields. */
    private static final int VIRT_PHY_ADDR = 1 << 1;

    private final PspExpectations expect;
    private final PspMemory memory;
    private final Consumer<String> refusals;
    private final Runnable autoloaded;
    private final Runnable destroyed;
    private final java.util.function.IntConsumer imageLoaded;

    private boolean tocLoaded;
    private long tmrBase = -1;
    private long tmrCursor;
    private final Set<Integer> loaded = new TreeSet<>();
    private boolean autoloadDone;

    GpcomCommands(PspExpectations expect, PspMemory memory, Consumer<String> refusals, Runnable autoloaded,
                  Runnable destroyed, java.util.function.IntConsumer imageLoaded) {
        this.expect = expect;
        this.memory = memory;
        this.refusals = refusals;
        this.autoloaded = autoloaded;
        this.destroyed = destroyed;
        this.imageLoaded = imageLoaded;
    }

    Result execute(MemorySegment cmdBuf) {
        int id = psp_gfx_cmd_resp.cmd_id(cmdBuf);
        MemorySegment payload = psp_gfx_cmd_resp.cmd(cmdBuf);
        try {
            if (id == GFX_CMD_ID_LOAD_TOC()) {
                return loadToc(psp_gfx_commands.cmd_load_toc(payload));
            } else if (id == GFX_CMD_ID_SETUP_TMR()) {
                return setupTmr(psp_gfx_commands.cmd_setup_tmr(payload));
            } else if (id == GFX_CMD_ID_LOAD_IP_FW()) {
                return loadIpFw(psp_gfx_commands.cmd_load_ip_fw(payload));
            } else if (id == GFX_CMD_ID_AUTOLOAD_RLC()) {
                return autoloadRlc();
            } else if (id == GFX_CMD_ID_DESTROY_TMR()) {
                return destroyTmr();
            }
            return refuse(PspStatus.UNKNOWN_COMMAND, "unknown GPCOM command 0x" + Integer.toHexString(id));
        } catch (GpuFaultException e) {
            return refuse(PspStatus.BAD_PARAMETER, "command 0x" + Integer.toHexString(id) + " points at memory the PSP cannot reach: " + e.getMessage());
        }
    }

    private Result loadToc(MemorySegment c) throws GpuFaultException {
        if (expect.toc == null) {
            return refuse(PspStatus.UNKNOWN_COMMAND, "LOAD_TOC: the " + expect.asic + " sOS has no TOC (its TMR is the fixed 4 MiB)");
        }
        long addr = addr(psp_gfx_cmd_load_toc.toc_phy_addr_lo(c), psp_gfx_cmd_load_toc.toc_phy_addr_hi(c));
        long size = Integer.toUnsignedLong(psp_gfx_cmd_load_toc.toc_size(c));
        if (size != expect.toc.byteSize() || !memory.matches(addr, expect.toc)) {
            return refuse(PspStatus.BAD_PAYLOAD, "LOAD_TOC: not the sOS file's TOC (" + size + " bytes)");
        }
        tocLoaded = true;
        return new Result(PspStatus.OK, 0, expect.tmrSize);
    }

    private Result setupTmr(MemorySegment c) {
        long mc = addr(psp_gfx_cmd_setup_tmr.buf_phy_addr_lo(c), psp_gfx_cmd_setup_tmr.buf_phy_addr_hi(c));
        long size = Integer.toUnsignedLong(psp_gfx_cmd_setup_tmr.buf_size(c));
        long phys = addr(psp_gfx_cmd_setup_tmr.system_phy_addr_lo(c), psp_gfx_cmd_setup_tmr.system_phy_addr_hi(c));
        if (expect.toc != null && !tocLoaded) {
            return refuse(PspStatus.BAD_ORDER, "SETUP_TMR before LOAD_TOC: the TMR size is not known yet");
        }
        if (expect.pmfwCentralized && !loaded.contains(GFX_FW_TYPE_SMU())) {
            return refuse(PspStatus.BAD_ORDER, "SETUP_TMR before the SMU image (the " + expect.asic + "'s PMFW is centralized)");
        }
        if (tmrBase >= 0) {
            return refuse(PspStatus.BAD_ORDER, "SETUP_TMR twice without DESTROY_TMR");
        }
        long vramOff = mc - memory.fbBase();
        if (mc % TMR_ALIGNMENT != 0 || size < expect.tmrSize || size % PAGE != 0 || vramOff < 0
                || vramOff + size > memory.vramBytes()) {
            return refuse(PspStatus.BAD_PARAMETER, String.format("SETUP_TMR: TMR at MC 0x%x, %d bytes (needs 1 MiB alignment,"
                    + " >= 0x%x bytes, in VRAM)", mc, size, expect.tmrSize));
        }
        if ((psp_gfx_cmd_setup_tmr.tmr_flags(c) & VIRT_PHY_ADDR) == 0 || phys != vramOff) {
            return refuse(PspStatus.BAD_PARAMETER, String.format("SETUP_TMR: virt_phy_addr must be set and system_phy_addr"
                    + " must be the TMR's VRAM address 0x%x (got 0x%x)", vramOff, phys));
        }
        tmrBase = mc;
        tmrCursor = 0;
        return Result.ok();
    }

    private Result loadIpFw(MemorySegment c) throws GpuFaultException {
        int type = psp_gfx_cmd_load_ip_fw.fw_type(c);
        long addr = addr(psp_gfx_cmd_load_ip_fw.fw_phy_addr_lo(c), psp_gfx_cmd_load_ip_fw.fw_phy_addr_hi(c));
        long size = Integer.toUnsignedLong(psp_gfx_cmd_load_ip_fw.fw_size(c));
        if (!expect.acceptedTypes.contains(type)) {
            return refuse(PspStatus.UNSUPPORTED_TYPE, "LOAD_IP_FW: this PSP takes no firmware of type " + type);
        }
        if (tmrBase < 0 && !(type == GFX_FW_TYPE_SMU() && expect.pmfwCentralized)) {
            return refuse(PspStatus.BAD_ORDER, "LOAD_IP_FW type " + type + " before SETUP_TMR");
        }
        if (addr % PAGE != 0 || size == 0) {
            return refuse(PspStatus.BAD_PARAMETER, String.format("LOAD_IP_FW type %d: address 0x%x must be 4 KiB aligned, size %d > 0", type, addr, size));
        }
        MemorySegment image = expect.checkedImages.get(type);
        if (image != null && (size != image.byteSize() || !memory.matches(addr, image))) {
            return refuse(PspStatus.BAD_PAYLOAD, "LOAD_IP_FW type " + type + ": not the firmware file's image (" + size
                    + " bytes, expected " + image.byteSize() + ")");
        }
        loaded.add(type);
        long at = (tmrBase < 0 ? 0 : tmrBase) + tmrCursor;
        tmrCursor += (size + PAGE - 1) / PAGE * PAGE;
        imageLoaded.accept(type);
        return new Result(PspStatus.OK, at, 0);
    }

    private Result autoloadRlc() {
        if (expect.autoloadNeeds == null) {
            return refuse(PspStatus.UNKNOWN_COMMAND, "AUTOLOAD_RLC: the " + expect.asic + "'s PSP has no RLC autoload");
        }
        for (int needed : expect.autoloadNeeds) {
            if (!loaded.contains(needed)) {
                return refuse(PspStatus.BAD_ORDER, "AUTOLOAD_RLC before firmware type " + needed + " was loaded");
            }
        }
        autoloadDone = true;
        autoloaded.run();
        return Result.ok();
    }

    private Result destroyTmr() {
        tmrBase = -1;
        loaded.clear();
        autoloadDone = false;
        destroyed.run();
        return Result.ok();
    }

    private Result refuse(int status, String why) {
        refusals.accept(why);
        return Result.fail(status);
    }

    private static long addr(int lo, int hi) {
        return Integer.toUnsignedLong(lo) | (long) hi << 32;
    }

    boolean tocLoaded() {
        return tocLoaded;
    }

    boolean tmrSetUp() {
        return tmrBase >= 0;
    }

    Set<Integer> loaded() {
        return Set.copyOf(loaded);
    }

    boolean autoloadDone() {
        return autoloadDone;
    }

    /**
     * SDMA runs once its images are in and, where the RLC autoload starts the engines (GC 10/11), that
     * autoload ran (spec §9.5). For GC 10 whether the autoload or the load itself starts SDMA is
     * UNCERTAIN; the model asks for both, which is what amdgpu does anyway. Vega10: the load.
     */
    boolean sdmaFirmwareRunning() {
        return (expect.autoloadNeeds == null || autoloadDone) && loaded.containsAll(expect.sdmaImages);
    }
}
