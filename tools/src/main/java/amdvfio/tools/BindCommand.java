package amdvfio.tools;

import amdvfio.vfio.PciAddress;
import amdvfio.vfio.sysfs.BindPolicy;
import amdvfio.vfio.sysfs.GroupBinder;
import amdvfio.vfio.sysfs.PciFunction;
import amdvfio.vfio.sysfs.Sysfs;
import amdvfio.vfio.sysfs.VfioReadiness;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code amdvfio bind}: gives a GPU's whole IOMMU group to vfio-pci (its HDMI audio function
 * too, or the group cannot be opened), with a persistent override so a rescan or re-plug brings
 * every function back on vfio-pci. Shows the plan first; refuses what could hurt the host
 * ({@link BindPolicy}) unless {@code --force}.
 */
@Command(name = "bind", mixinStandardHelpOptions = true,
        description = {"Bind a GPU and every other function of its IOMMU group to vfio-pci.",
                "Shows what happens to each member first; refuses a function that is not an AMD GPU, drives a display,",
                "has users (DRM nodes, /dev/kfd), or shares its group with host devices, unless --force."})
final class BindCommand implements Callable<Integer> {

    static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--force", description = "Bind even what the safety checks refuse.")
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
            PciAddress address = tb.address();
            PciFunction before = sysfs.function(address);
            if (!before.hasIommuGroup()) {
                throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, address + " has no IOMMU group: enable the IOMMU "
                        + "(intel_iommu=on or amd_iommu=on on the kernel command line) and reboot.");
            }
            List<GroupBinder.Change> plan = h.binder().planBind(address);
            PrintWriter out = spec.commandLine().getOut();
            if (!json) {
                GroupReport.printPlan(out, "IOMMU group " + before.iommuGroup() + ":", plan);
            }
            List<BindPolicy.Refusal> refusals = h.policy().checkBind(address, plan);
            if (!force && !refusals.isEmpty()) {
                throw GroupReport.refused("bind", refusals);
            }
            h.requireMovable(plan);
            List<GroupBinder.Change> done = h.binder().bind(address, BIND_TIMEOUT);
            VfioReadiness r = sysfs.readiness(address);
            report(spec, json, address.toString(), before.driver(), "vfio-pci", r, done);
            if (!r.ready()) {
                throw new CommandFailure(ExitCodes.DEVICE_NOT_READY, "bound, but not usable yet: " + r.describe());
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

    static void report(CommandSpec spec, boolean json, String address, String from, String to, VfioReadiness r,
                       List<GroupBinder.Change> members) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", address);
            m.put("previousDriver", from);
            m.put("driver", to);
            m.put("iommuGroup", r.iommuGroup() < 0 ? null : r.iommuGroup());
            m.put("vfioReady", r.ready());
            m.put("vfioDetail", r.describe());
            m.put("members", GroupReport.json(members));
            Report.json(spec.commandLine().getOut(), m);
        } else {
            spec.commandLine().getOut().printf("%s: %s → %s; VFIO: %s%n", address, from == null ? "no driver" : from,
                    to == null ? "no driver" : to, r.describe());
        }
    }
}
