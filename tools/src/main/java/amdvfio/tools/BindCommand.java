package amdvfio.tools;

import amdvfio.vfio.sysfs.PciFunction;
import amdvfio.vfio.sysfs.Sysfs;
import amdvfio.vfio.sysfs.VfioReadiness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code amdvfio bind}: gives a function to vfio-pci, checking its IOMMU group and explaining what blocks it. */
@Command(name = "bind", mixinStandardHelpOptions = true,
        description = "Bind a function to vfio-pci (driver_override, unbind, drivers_probe), checking its IOMMU group.")
final class BindCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--force", description = "Also take a function that drives the boot display.")
    boolean force;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        try (Testbench tb = device.open(spec, null)) {
            if (tb.simulated()) {
                return simulated(spec, json, "bind");
            }
            HostTestbench h = (HostTestbench) tb;
            Sysfs sysfs = h.sysfs();
            PciFunction before = sysfs.function(tb.address());
            if (!before.hasIommuGroup()) {
                throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, tb.address() + " has no IOMMU group: enable the IOMMU "
                        + "(intel_iommu=on or amd_iommu=on on the kernel command line) and reboot.");
            }
            h.checkControllable(true, false);
            if (!force && "1".equals(read(sysfs.devicesDir().resolve(tb.address().toString()).resolve("boot_vga")))) {
                throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, tb.address() + " drives the boot display; binding it "
                        + "to vfio-pci takes the console away. Use --force if you mean it.");
            }
            sysfs.bindToVfio(tb.address());
            VfioReadiness r = sysfs.readiness(tb.address());
            report(spec, json, tb.address().toString(), before.driver(), "vfio-pci", r);
            if (!r.ready()) {
                throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, "bound, but not usable yet: " + r.describe()
                        + (r.blocker() != null ? "; bind that function too: amdvfio bind " + r.blocker() : ""));
            }
        }
        return ExitCodes.OK;
    }

    static int simulated(CommandSpec spec, boolean json, String what) {
        if (json) {
            Report.json(spec.commandLine().getOut(), Map.of("simulated", true, "changed", false,
                    "detail", "the simulated GPU is always reachable; nothing to " + what));
        } else {
            spec.commandLine().getOut().println("The simulated GPU needs no driver binding; nothing to " + what + ".");
        }
        return ExitCodes.OK;
    }

    static void report(CommandSpec spec, boolean json, String address, String from, String to, VfioReadiness r) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", address);
            m.put("previousDriver", from);
            m.put("driver", to);
            m.put("iommuGroup", r.iommuGroup() < 0 ? null : r.iommuGroup());
            m.put("vfioReady", r.ready());
            m.put("vfioDetail", r.describe());
            Report.json(spec.commandLine().getOut(), m);
        } else {
            spec.commandLine().getOut().printf("%s: %s → %s; VFIO: %s%n", address, from == null ? "no driver" : from,
                    to == null ? "no driver" : to, r.describe());
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
