package amdvfio.sim.psp;

import amdvfio.amdgpu.PspMailboxRegs;
import amdvfio.amdgpu.Reg;
import amdvfio.bindings.amdgpu.amdgpu_psp_h;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_load_ip_fw;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_load_toc;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_resp;
import amdvfio.bindings.amdgpu.psp_gfx_cmd_setup_tmr;
import amdvfio.bindings.amdgpu.psp_gfx_commands;
import amdvfio.bindings.amdgpu.psp_gfx_if_h;
import amdvfio.bindings.amdgpu.psp_gfx_rb_frame;
import amdvfio.bindings.amdgpu.psp_gfx_resp;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A cold simulated Navi31 driven by raw register writes, the way psp_v13_0 and amdgpu_psp.c
 * drive a real one: bootloader components through a 1 MiB aligned buffer in VRAM, the KM ring,
 * command buffers and fences. Tests use it to feed the PSP right and wrong inputs.
 */
final class ColdPspRig implements AutoCloseable {

    static final Path FIRMWARE = Path.of(System.getenv().getOrDefault("AMDVFIO_FIRMWARE_DIR", "/lib/firmware/amdgpu"));
    static final long FW_BUF = 16L << 20;
    static final long RING = 4L << 20;
    static final long CMD = 5L << 20;
    static final long FENCE = CMD + 0x1000;
    static final long TMR = 32L << 20;
    static final int RING_BYTES = 0x1000;

    final SimBus bus = new SimBus();
    final SimControl card;
    final PciDevice dev;
    final PspExpectations fw;
    final PspMailboxRegs mb;
    private final Mmio regs;
    private final Mmio vram;
    private final long fbBase;
    private int wptr;
    private int fenceValue;

    ColdPspRig(Duration ifwiDelay) {
        this(SimColdBoot.at(FIRMWARE).withIfwiDelay(ifwiDelay));
    }

    ColdPspRig(SimColdBoot coldBoot) {
        this(SimProfile.NAVI31, coldBoot);
    }

    /** A cold card of {@code profile}, with its generation's PSP. */
    ColdPspRig(SimProfile profile, SimColdBoot coldBoot) {
        requireFirmware();
        SimConfig cfg = SimConfig.defaults().withColdBoot(coldBoot);
        PciAddress at = PciAddress.parse("0000:03:00.0");
        card = bus.plug(at, profile, cfg);
        dev = bus.open(at);
        dev.config().setBusMaster(true);
        regs = dev.mmio(5);
        vram = dev.mmio(0);
        fbBase = cfg.fbBase();
        fw = PspExpectations.forAsic(profile.name(), FIRMWARE);
        mb = fw.regs;
    }

    ColdPspRig(SimProfile profile) {
        this(profile, SimColdBoot.at(FIRMWARE));
    }

    ColdPspRig() {
        this(Duration.ZERO);
    }

    static void requireFirmware() {
        for (String f : new String[] {"psp_13_0_0_sos.bin", "sdma_6_0_0.bin", "smu_13_0_0.bin", "sienna_cichlid_sos.bin",
                "sienna_cichlid_sdma.bin", "sienna_cichlid_smc.bin", "navi10_sos.bin", "navi10_sdma.bin", "navi10_sdma1.bin",
                "navi10_smc.bin", "vega10_sos.bin", "vega10_sdma.bin", "vega10_sdma1.bin", "vega10_smc.bin"}) {
            if (!Files.isRegularFile(FIRMWARE.resolve(f))) {
                String why = FIRMWARE.resolve(f) + " is missing; apt-get install firmware-amd-graphics (bookworm-backports, non-free-firmware)";
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail(why);
                }
                Assumptions.abort(why);
            }
        }
    }

    long mc(long vramOffset) {
        return fbBase + vramOffset;
    }

    int rreg(Reg r) {
        return regs.read32(4L * (0x16000 + r.offset()));
    }

    void wreg(Reg r, int v) {
        regs.write32(4L * (0x16000 + r.offset()), v);
    }

    int vramInt(long off) {
        return vram.read32(off);
    }

    void put(long off, MemorySegment bytes) {
        long n = bytes.byteSize();
        for (long i = 0; i < n; i += 4) {
            int v = 0;
            for (int b = 0; b < 4 && i + b < n; b++) {
                v |= (bytes.get(ValueLayout.JAVA_BYTE, i + b) & 0xFF) << (8 * b);
            }
            vram.write32(off + i, v);
        }
    }

    /** One bootloader component: payload into the 1 MiB buffer, C2PMSG_36 = mc >> 20, C2PMSG_35 = cmd; returns C2PMSG_35. */
    int bootload(int cmd, MemorySegment payload) {
        put(FW_BUF, payload);
        wreg(mb.c2pmsg36, (int) (mc(FW_BUF) >>> 20));
        wreg(mb.c2pmsg35, cmd);
        return rreg(mb.c2pmsg35);
    }

    /** The generation's bootloader sequence (Navi31: KDB → SPL slot (KDB bytes) → SYS_DRV → SOS), each answered 0x80000000. */
    void bootSos() {
        for (PspExpectations.BootStep s : fw.bootSequence) {
            Assertions.assertEquals(0x8000_0000, bootload(s.command(), s.payload()), s.name());
        }
    }

    int createRing() {
        wreg(mb.c2pmsg69, (int) mc(RING));
        wreg(mb.c2pmsg70, (int) (mc(RING) >>> 32));
        wreg(mb.c2pmsg71, RING_BYTES);
        wreg(mb.c2pmsg64, amdgpu_psp_h.PSP_RING_TYPE__KM() << 16);
        return rreg(mb.c2pmsg64);
    }

    /** Submits one command (filled by {@code fill}) and returns resp.status; the fence must have landed. */
    int submit(int cmdId, Consumer<MemorySegment> fill) {
        MemorySegment cmd = Arena.ofAuto().allocate(psp_gfx_cmd_resp.layout());
        psp_gfx_cmd_resp.cmd_id(cmd, cmdId);
        fill.accept(psp_gfx_cmd_resp.cmd(cmd));
        put(CMD, cmd);
        MemorySegment frame = Arena.ofAuto().allocate(psp_gfx_rb_frame.layout());
        psp_gfx_rb_frame.cmd_buf_addr_lo(frame, (int) mc(CMD));
        psp_gfx_rb_frame.cmd_buf_addr_hi(frame, (int) (mc(CMD) >>> 32));
        psp_gfx_rb_frame.fence_addr_lo(frame, (int) mc(FENCE));
        psp_gfx_rb_frame.fence_addr_hi(frame, (int) (mc(FENCE) >>> 32));
        psp_gfx_rb_frame.fence_value(frame, ++fenceValue);
        put(RING + wptr * 4L, frame);
        wptr = (wptr + 16) % (RING_BYTES / 4);
        wreg(mb.c2pmsg67, wptr);
        Assertions.assertEquals(fenceValue, vramInt(FENCE), "fence of command 0x" + Integer.toHexString(cmdId));
        return status();
    }

    int status() {
        return vramInt(CMD + psp_gfx_cmd_resp.resp$offset() + psp_gfx_resp.status$offset());
    }

    int respTmrSize() {
        return vramInt(CMD + psp_gfx_cmd_resp.resp$offset() + psp_gfx_resp.tmr_size$offset());
    }

    int loadToc() {
        put(FW_BUF, fw.toc);
        return submit(psp_gfx_if_h.GFX_CMD_ID_LOAD_TOC(), c -> {
            MemorySegment t = psp_gfx_commands.cmd_load_toc(c);
            psp_gfx_cmd_load_toc.toc_phy_addr_lo(t, (int) mc(FW_BUF));
            psp_gfx_cmd_load_toc.toc_phy_addr_hi(t, (int) (mc(FW_BUF) >>> 32));
            psp_gfx_cmd_load_toc.toc_size(t, (int) fw.toc.byteSize());
        });
    }

    int loadIpFw(int type, MemorySegment image) {
        put(FW_BUF, image);
        return submit(psp_gfx_if_h.GFX_CMD_ID_LOAD_IP_FW(), c -> {
            MemorySegment l = psp_gfx_commands.cmd_load_ip_fw(c);
            psp_gfx_cmd_load_ip_fw.fw_phy_addr_lo(l, (int) mc(FW_BUF));
            psp_gfx_cmd_load_ip_fw.fw_phy_addr_hi(l, (int) (mc(FW_BUF) >>> 32));
            psp_gfx_cmd_load_ip_fw.fw_size(l, (int) image.byteSize());
            psp_gfx_cmd_load_ip_fw.fw_type(l, type);
        });
    }

    int setupTmr(long vramOff, long size, boolean virtPhys) {
        return submit(psp_gfx_if_h.GFX_CMD_ID_SETUP_TMR(), c -> {
            MemorySegment s = psp_gfx_commands.cmd_setup_tmr(c);
            psp_gfx_cmd_setup_tmr.buf_phy_addr_lo(s, (int) mc(vramOff));
            psp_gfx_cmd_setup_tmr.buf_phy_addr_hi(s, (int) (mc(vramOff) >>> 32));
            psp_gfx_cmd_setup_tmr.buf_size(s, (int) size);
            psp_gfx_cmd_setup_tmr.tmr_flags(s, virtPhys ? 2 : 0);
            psp_gfx_cmd_setup_tmr.system_phy_addr_lo(s, (int) vramOff);
            psp_gfx_cmd_setup_tmr.system_phy_addr_hi(s, (int) (vramOff >>> 32));
        });
    }

    /** A stand-in image for a type whose bytes the model does not check (RLC, IMU). */
    static MemorySegment blob(int bytes) {
        MemorySegment s = Arena.ofAuto().allocate(bytes);
        s.fill((byte) 0x5A);
        return s;
    }

    @Override
    public void close() {
        dev.close();
        bus.close();
    }
}
