package amdvfio.driver.asic;

import amdvfio.amdgpu.FixedRegs;
import amdvfio.driver.DeviceLostException;
import amdvfio.driver.GpuException;
import amdvfio.driver.UnsupportedDeviceException;
import amdvfio.driver.reg.RegisterIo;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The identification half of probe: which profile, how much VRAM, where the registers are.
 * Reads only; programs nothing.
 */
public final class Probe {

    /** mmRCC_CONFIG_MEMSIZE: VRAM in MiB, hard-coded by amdgpu before discovery (spec §1.3). */
    public static final int RCC_CONFIG_MEMSIZE = FixedRegs.RCC_CONFIG_MEMSIZE;
    /** All ones: what a read from a removed device answers (spec §6.4). */
    private static final int ALL_ONES = -1;

    private Probe() {
    }

    /** The profile for {@code device}, or a typed refusal naming what the device is. */
    public static AsicProfile identify(PciDevice device) {
        return AsicProfiles.forDevice(device.vendorId(), device.deviceId()).orElseThrow(() ->
                new UnsupportedDeviceException(String.format(
                        "%s [%04x:%04x] is not a supported AMD GPU (supported: vendor 0x1002, Vega10 0x6860-0x687f, "
                                + "Navi10 0x7310-0x731f, Navi21 0x73a0-0x73bf, Navi31 0x744c)",
                        device.address(), device.vendorId(), device.deviceId())));
    }

    /** VRAM size in bytes from RCC_CONFIG_MEMSIZE; all ones means the device is gone (spec §6.4). */
    public static long vramSize(RegisterIo regs, PciDevice device) {
        int mib = regs.read(RCC_CONFIG_MEMSIZE);
        if (mib == ALL_ONES) {
            throw new DeviceLostException(device.address() + ": RCC_CONFIG_MEMSIZE reads all ones; the device is gone");
        }
        if (mib == 0) {
            throw new GpuException(device.address() + ": RCC_CONFIG_MEMSIZE reads 0; the VBIOS has not posted the card");
        }
        return Integer.toUnsignedLong(mib) << 20;
    }

    /** Register bases: fixed for Vega10, else the discovery table at VRAM end − 64 KiB. */
    public static IpBases bases(AsicProfile profile, RegisterIo regs, Mmio bar0, long vramSize) {
        if (!profile.usesDiscovery()) {
            return IpBases.of(profile.fixedBases());
        }
        waitForIfwi(regs);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bin = arena.allocate(IpDiscovery.TMR_SIZE, 8);
            long at = vramSize - IpDiscovery.TMR_OFFSET_FROM_END;
            for (int i = 0; i < IpDiscovery.TMR_SIZE; i += 4) {
                long addr = at + i;
                int v = addr + 4 <= bar0.size() ? bar0.read32(addr) : readVramIndirect(regs, addr);
                bin.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, v);
            }
            return IpDiscovery.parse(bin);
        }
    }

    /** MM_INDEX/MM_DATA: the VRAM window that needs no IP base ({@code amdgpu_device_mm_access}). */
    static int readVramIndirect(RegisterIo regs, long addr) {
        regs.write(FixedRegs.MM_INDEX_HI, (int) (addr >>> 31));
        regs.write(FixedRegs.MM_INDEX, (int) addr & ~FixedRegs.MM_INDEX_APER_VRAM | FixedRegs.MM_INDEX_APER_VRAM);
        return regs.read(FixedRegs.MM_DATA);
    }

    private static void waitForIfwi(RegisterIo regs) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while ((regs.read(FixedRegs.MP0_C2PMSG_33) & FixedRegs.IFWI_INIT_COMPLETE) == 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * Vega10 and Navi10 do not come back from a secondary bus reset without a cold boot (their
     * SMU/PSP stay in a state amdgpu itself only leaves by a mode1 reset), so the device must not
     * use one for them; the driver-level reset comes from the cold-boot work.
     */
    public static void forbidUnsafeBusReset(AsicProfile profile, PciDevice device) {
        if (profile.name().equals("vega10") || profile.name().equals("navi10")) {
            device.forbidBusReset(profile.name() + " needs a cold boot after a bus reset; use the driver's mode1 reset");
        }
    }
}
