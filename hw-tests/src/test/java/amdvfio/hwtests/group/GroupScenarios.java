package amdvfio.hwtests.group;

import amdvfio.hwtests.edu.ClientLoop;
import amdvfio.hwtests.edu.EduDevice;
import amdvfio.hwtests.qemu.GuestScenario;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.MessageInterrupts;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.RegionInfo;
import amdvfio.vfio.ResetUnavailableException;
import amdvfio.vfio.event.DeviceEventHandler;
import amdvfio.vfio.event.DeviceEventLoop;
import amdvfio.vfio.kernel.KernelVfio;
import amdvfio.vfio.kernel.KernelVfioDevice;
import amdvfio.vfio.sysfs.GroupBinder;
import amdvfio.vfio.sysfs.OverrideClaimer;
import amdvfio.vfio.sysfs.OverrideStore;
import amdvfio.vfio.sysfs.PciFunction;
import amdvfio.vfio.unplug.ClientMapping;
import amdvfio.vfio.unplug.Lifecycle;
import amdvfio.vfio.unplug.MappingOwner;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static amdvfio.hwtests.group.GuestPci.SYSFS;
import static amdvfio.hwtests.group.GuestPci.check;
import static amdvfio.hwtests.group.GuestPci.out;

/**
 * What edu alone cannot show, in the guest on the real vfio-pci (one boot, in this order): the
 * IOMMU group as the unit (a multifunction slot: edu at function 0 and 1), a hot reset through
 * VFIO_DEVICE_PCI_HOT_RESET, re-plug of both functions, a 64-bit prefetchable BAR (ivshmem-plain),
 * MSI-X vectors as eventfds (nvme, which has no MSI).
 */
public final class GroupScenarios {

    static final GroupBinder BINDER = new GroupBinder(SYSFS, new OverrideStore(Path.of("/tmp/amdvfio/driverctl.d")));

    private GroupScenarios() {
    }

    /** The slot's two functions share one group; restore takes both off vfio-pci, bind puts both back. */
    public static final class G1GroupBinding implements GuestScenario {
        @Override
        public void run() throws Throwable {
            PciAddress fn0 = GuestPci.multifunctionEdu();
            PciAddress fn1 = GuestPci.fn1(fn0);
            List<PciFunction> members = BINDER.members(fn0).stream().filter(m -> !m.bridge()).toList();
            check(members.size() == 2 && members.get(1).address().equals(fn1), "group of " + fn0 + ": " + members);
            out("g1", "group " + members.get(0).iommuGroup() + " = " + fn0 + " + " + fn1);

            BINDER.restore(fn0, false, Duration.ofSeconds(5));
            check(SYSFS.function(fn0).driver() == null && SYSFS.function(fn1).driver() == null,
                    "restore left a driver: " + SYSFS.function(fn0).driver() + ", " + SYSFS.function(fn1).driver());
            out("g1", "restore: both functions off vfio-pci");

            List<GroupBinder.Change> done = BINDER.bind(fn0, Duration.ofSeconds(10));
            check(done.stream().filter(GroupBinder.Change::moves).count() == 2, "bind moved " + done);
            check(SYSFS.readiness(fn0).ready() && SYSFS.readiness(fn1).ready(), "not ready: " + SYSFS.readiness(fn0).describe());
            check("vfio-pci".equals(SYSFS.attribute(fn1, "driver_override").orElse("")), "fn1 has no persistent override");
            out("g1", "bind: both functions on vfio-pci with driver_override, group viable");
        }
    }

    /** No function reset on a multifunction edu: reset() is a hot reset of the slot with our group; forbidding it is obeyed. */
    public static final class G2HotReset implements GuestScenario {
        @Override
        public void run() throws Throwable {
            PciAddress fn0 = GuestPci.multifunctionEdu();
            try (EduDevice e = EduDevice.open(fn0.toString())) {
                KernelVfioDevice k = (KernelVfioDevice) e.dev;
                List<PciAddress> scope = k.hotResetScope();
                out("g2", "reset plan: " + k.resetPlan() + "; sysfs reset_method: " + SYSFS.attribute(fn0, "reset_method").orElse("-"));
                check(scope.contains(fn0) && scope.contains(GuestPci.fn1(fn0)), "hot reset scope " + scope);
                check(e.liveness(0x12345678) == ~0x12345678, "liveness before reset");
                long t0 = System.nanoTime();
                k.hotReset();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                // vfio-pci saves and restores config space around the reset (pci_reset_bus), so config
                // cannot show it; the kernel accepted our group as proof of ownership of the whole scope.
                e.dev.config().setBusMaster(true);
                check(e.ident() == EduDevice.EDU_IDENT && e.liveness(0x0f0f0f0f) == ~0x0f0f0f0f, "edu not working after reset");
                out("g2", "hot reset of " + scope + " in " + ms + " ms; device works after");
                k.forbidBusReset("test: this device must not be bus-reset");
                if (!k.resetPlan().startsWith("VFIO_DEVICE_RESET")) {
                    try {
                        k.reset();
                        throw new IllegalStateException("reset() ignored forbidBusReset");
                    } catch (ResetUnavailableException expected) {
                        out("g2", "forbidden bus reset refused: " + expected.getMessage());
                    }
                }
            }
        }
    }

    /** Both functions removed while fn0 is held under a client mapping; rescan; both back on vfio-pci; leak check. */
    public static final class G3GroupReplug implements GuestScenario {
        @Override
        public void run() throws Throwable {
            PciAddress fn0 = GuestPci.multifunctionEdu();
            ReplugCycle.Result r = ReplugCycle.once(BINDER, fn0, true);
            out("g3", r.describe());
            EduDevice again = EduDevice.open(fn0.toString());
            try {
                check(again.ident() == EduDevice.EDU_IDENT, "re-plugged edu does not answer");
            } finally {
                again.close();
            }
            out("g3", "re-plugged fn0 opened and answered; fn1 driver " + SYSFS.function(GuestPci.fn1(fn0)).driver());
        }
    }

    /** ivshmem-plain: BAR2 is 64-bit prefetchable, indexed as region 2, mapped and written end to end. */
    public static final class G4Bar64 implements GuestScenario {
        @Override
        public void run() throws Throwable {
            PciAddress a = GuestPci.only(0x1af4, 0x1110, "ivshmem-plain");
            String line = Files.readAllLines(SYSFS.functionDir(a).resolve("resource")).get(2).trim();
            long flags = Long.decode(line.split("\\s+")[2]);
            check((flags & 0x100000) != 0 && (flags & 0x2000) != 0, "BAR2 flags 0x" + Long.toHexString(flags) + " not 64-bit prefetchable");
            try (PciDevice d = KernelVfio.open(a)) {
                RegionInfo bar2 = d.region(RegionInfo.BAR2);
                check(bar2.size() == 64L << 20 && bar2.mappable(), "BAR2 region: " + bar2);
                check(d.region(RegionInfo.BAR0).size() == 256, "BAR0 (registers) " + d.region(RegionInfo.BAR0));
                var mmio = d.mmio(RegionInfo.BAR2);
                long[] offsets = {0, 4096, (32L << 20) + 8, (64L << 20) - 8};
                for (long off : offsets) {
                    mmio.write64(off, 0xA5A5_0000_0000_0000L | off);
                }
                for (long off : offsets) {
                    check(mmio.read64(off) == (0xA5A5_0000_0000_0000L | off), "BAR2 readback at 0x" + Long.toHexString(off));
                }
                out("g4", a + " BAR2 64-bit prefetchable (flags 0x" + Long.toHexString(flags) + "), 64 MiB mapped, written at "
                        + offsets.length + " offsets up to its last qword");
            }
        }
    }

    /** nvme has MSI-X and no MSI: the choice is MSI-X, and each vector is an eventfd the kernel registered. */
    public static final class G5Msix implements GuestScenario {
        @Override
        public void run() throws Throwable {
            PciAddress a = GuestPci.only(0x1b36, 0x0010, "nvme");
            try (PciDevice d = KernelVfio.open(a)) {
                check(!d.irqInfo(IrqType.MSI).available(), "nvme offers MSI: " + d.irqInfo(IrqType.MSI));
                check(d.irqInfo(IrqType.MSIX).count() >= 4, "MSI-X vectors: " + d.irqInfo(IrqType.MSIX));
                IrqType chosen = MessageInterrupts.choose(d).orElseThrow();
                check(chosen == IrqType.MSIX, "chose " + chosen);
                String name = "vfio-msix";
                try (DeviceEventLoop loop = DeviceEventLoop.start(d, chosen, 4, new DeviceEventHandler() { })) {
                    List<String> irqs = GuestPci.interrupts(name).stream().filter(l -> l.contains(a.toString())).toList();
                    check(irqs.size() == 4, "expected 4 vfio-msix lines for " + a + " in /proc/interrupts: " + irqs);
                    check(loop.listensFor(IrqType.MSIX), "loop not routing MSI-X");
                    out("g5", a + " offers " + d.irqInfo(IrqType.MSIX).count() + " MSI-X vectors and no MSI; 4 registered as eventfds: "
                            + irqs.stream().map(l -> l.replaceAll("\\s+", " ").trim()).toList());
                }
                check(GuestPci.interrupts(name).stream().noneMatch(l -> l.contains(a.toString())), "vectors left after close");
            }
        }
    }
}
