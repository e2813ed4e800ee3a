package amdvfio.driver.ip.psp;

import amdvfio.bindings.amdgpu.psp_gfx_cmd_load_ip_fw;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_load_toc;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_resp;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_setup_tmr;
import amdvfio.bindings.amdgpu.psp_gfx_commands;
import amdvfio.bindings.amdgpu.psp_gfx_if_h;
import amdvfio.bindings.amdgpu.psp_gfx_resp;
import amdvfio.driver.firmware.IpFirmware;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The GPCOM commands of the cold boot, built as amdgpu's psp_prep_* helpers build them
 * (amdgpu_psp.c, spec §2.5): LOAD_TOC, SETUP_TMR, LOAD_IP_FW, AUTOLOAD_RLC. Payloads go through
 * the 1 MiB firmware buffer.
 */
final class PspCommands {

    /** psp_gfx_cmd_setup_tmr.bitfield.virt_phy_addr, bit 1 of tmr_flags (after sriov_enabled:1; jextract cannot export bitfields). */
    private static final int VIRT_PHY_ADDR = 1 << 1;

    private final PspKmRing ring;
    private final PspMemory mem;

    PspCommands(PspKmRing ring, PspMemory mem) {
        this.ring = ring;
        this.mem = mem;
    }

    /** psp_load_toc: returns the TMR size the sOS asks for. */
    long loadToc(MemorySegment toc) {
        stage(toc);
        MemorySegment cmd = command(psp_gfx_if_h.GFX_CMD_ID_LOAD_TOC());
        MemorySegment c = psp_gfx_commands.cmd_load_toc(psp_gfx_cmd_resp.cmd(cmd));
        long mc = mem.mc(mem.fwBuf);
        psp_gfx_cmd_load_toc.toc_phy_addr_lo(c, (int) mc);
        psp_gfx_cmd_load_toc.toc_phy_addr_hi(c, (int) (mc >>> 32));
        psp_gfx_cmd_load_toc.toc_size(c, (int) toc.byteSize());
        return Integer.toUnsignedLong(psp_gfx_resp.tmr_size(ring.submit("LOAD_TOC", cmd)));
    }

    /** psp_prep_tmr_cmd_buf: the TMR's MC address, and its VRAM address with virt_phy_addr (amdgpu_gmc_vram_pa). */
    void setupTmr(long vramOffset, long size) {
        MemorySegment cmd = command(psp_gfx_if_h.GFX_CMD_ID_SETUP_TMR());
        MemorySegment c = psp_gfx_commands.cmd_setup_tmr(psp_gfx_cmd_resp.cmd(cmd));
        long mc = mem.mc(vramOffset);
        psp_gfx_cmd_setup_tmr.buf_phy_addr_lo(c, (int) mc);
        psp_gfx_cmd_setup_tmr.buf_phy_addr_hi(c, (int) (mc >>> 32));
        psp_gfx_cmd_setup_tmr.buf_size(c, (int) size);
        psp_gfx_cmd_setup_tmr.tmr_flags(c, VIRT_PHY_ADDR);
        psp_gfx_cmd_setup_tmr.system_phy_addr_lo(c, (int) vramOffset);
        psp_gfx_cmd_setup_tmr.system_phy_addr_hi(c, (int) (vramOffset >>> 32));
        ring.submit("SETUP_TMR", cmd);
    }

    /** psp_execute_ip_fw_load. */
    void loadIpFw(IpFirmware fw) {
        stage(fw.bytes());
        MemorySegment cmd = command(psp_gfx_if_h.GFX_CMD_ID_LOAD_IP_FW());
        MemorySegment c = psp_gfx_commands.cmd_load_ip_fw(psp_gfx_cmd_resp.cmd(cmd));
        long mc = mem.mc(mem.fwBuf);
        psp_gfx_cmd_load_ip_fw.fw_phy_addr_lo(c, (int) mc);
        psp_gfx_cmd_load_ip_fw.fw_phy_addr_hi(c, (int) (mc >>> 32));
        psp_gfx_cmd_load_ip_fw.fw_size(c, (int) fw.size());
        psp_gfx_cmd_load_ip_fw.fw_type(c, fw.ucode().fwType());
        ring.submit("LOAD_IP_FW " + fw.ucode(), cmd);
    }

    /** psp_rlc_autoload_start. */
    void autoloadRlc() {
        ring.submit("AUTOLOAD_RLC", command(psp_gfx_if_h.GFX_CMD_ID_AUTOLOAD_RLC()));
    }

    private void stage(MemorySegment payload) {
        if (payload.byteSize() > PspMemory.PSP_1_MEG) {
            throw new IllegalArgumentException("a PSP payload of " + payload.byteSize() + " bytes does not fit the 1 MiB buffer");
        }
        mem.zero(mem.fwBuf, (payload.byteSize() + 7) & ~7L);
        mem.put(mem.fwBuf, payload);
    }

    private static MemorySegment command(int id) {
        MemorySegment cmd = Arena.ofAuto().allocate(psp_gfx_cmd_resp.layout());
        psp_gfx_cmd_resp.buf_size(cmd, (int) psp_gfx_cmd_resp.sizeof());
        psp_gfx_cmd_resp.cmd_id(cmd, id);
        return cmd;
    }
}
