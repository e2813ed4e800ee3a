package amdvfio.driver.ip.smu;

import amdvfio.driver.asic.AsicProfile;
import amdvfio.driver.asic.AsicProfiles;
import amdvfio.driver.asic.IpBases;
import amdvfio.driver.asic.Probe;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.reg.RegisterIo;
import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimPciDevice;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.RegionInfo;
import amdvfio.vfio.unplug.DeviceGuard;
import amdvfio.vfio.unplug.Lifecycle;

import java.time.Duration;

/** A simulated card with just enough of the probe for the SMU mailbox: registers, bases, a lifecycle. */
final class SmuRig implements AutoCloseable {

    static final PciAddress AT = PciAddress.parse("0000:0e:00.0");

    final SimBus bus = new SimBus();
    final SimControl card;
    final SimPciDevice dev;
    final DeviceContext ctx;
    final Lifecycle lifecycle = new Lifecycle(AT.toString());
    final SmuMailbox mailbox;

    SmuRig(SimProfile profile, boolean warm, Duration timeout) {
        card = bus.plug(AT, profile, SimConfig.defaults());
        if (warm) {
            card.startWarm();
        }
        dev = bus.open(AT);
        AsicProfile asic = asic(profile);
        RegisterIo regs = new RegisterIo(dev.mmio(RegionInfo.BAR5));
        long vram = Probe.vramSize(regs, dev);
        IpBases bases = Probe.bases(asic, regs, dev.mmio(RegionInfo.BAR0), vram);
        ctx = new DeviceContext(dev, asic, bases, regs, dev.mmio(RegionInfo.BAR2), dev.mmio(RegionInfo.BAR0), vram);
        ctx.attach(lifecycle, new DeviceGuard(), dev.mmio(RegionInfo.BAR5), dev.mappable(RegionInfo.BAR0));
        mailbox = new SmuMailbox(ctx, SmuMessages.of(asic), timeout);
    }

    static AsicProfile asic(SimProfile p) {
        return switch (p.name()) {
            case "Vega10" -> AsicProfiles.VEGA10;
            case "Navi10" -> AsicProfiles.NAVI10;
            case "Navi21" -> AsicProfiles.NAVI21;
            default -> AsicProfiles.NAVI31;
        };
    }

    SmuMessages msgs() {
        return mailbox.messages();
    }

    @Override
    public void close() {
        dev.close();
        bus.close();
    }
}
