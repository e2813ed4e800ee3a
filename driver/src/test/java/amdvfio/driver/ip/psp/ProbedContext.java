package amdvfio.driver.ip.psp;

import amdvfio.driver.asic.AsicProfile;
import amdvfio.driver.asic.IpBases;
import amdvfio.driver.asic.Probe;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.reg.RegisterIo;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.RegionInfo;

/**
 * A probe's worth of setup on an open handle, for tests that drive one IP block without
 * {@code Gpu.open}: bus mastering on, the ASIC identified, VRAM sized, the IP bases read. No
 * guard or lifecycle is attached.
 */
final class ProbedContext {

    private ProbedContext() {
    }

    static DeviceContext of(PciDevice dev) {
        dev.config().setBusMaster(true);
        AsicProfile profile = Probe.identify(dev);
        RegisterIo regs = new RegisterIo(dev.mmio(RegionInfo.BAR5));
        long vram = Probe.vramSize(regs, dev);
        IpBases bases = Probe.bases(profile, regs, dev.mmio(RegionInfo.BAR0), vram);
        return new DeviceContext(dev, profile, bases, regs, dev.mmio(RegionInfo.BAR2), dev.mmio(RegionInfo.BAR0), vram);
    }
}
